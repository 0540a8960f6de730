// Sending a request to the address the outbound guard checked, not to whatever the host name
// resolves to a moment later (DNS rebinding): the URL names the address, while the Host header
// and, for https, the TLS server name (SNI and certificate check) stay the host name's.
import { isIP } from "node:net";

/** PinnedRequest is what fetch is given: the URL with the address, and the headers and TLS options that keep the name. */
export interface PinnedRequest {
  url: string;
  headers: Record<string, string>;
  tls?: { serverName: string };
}

/** pinToAddress rewrites a request to url so that it connects to address; a URL that names an IP already is left as it is. */
export function pinToAddress(url: URL, address: string, headers: Record<string, string>): PinnedRequest {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host)) return { url: url.href, headers };
  const pinned = new URL(url.href);
  pinned.hostname = isIP(address) === 6 ? `[${address}]` : address;
  // A Host header the user set (any case) is sent as set; the connection is pinned either way.
  const hasHost = Object.keys(headers).some((h) => h.toLowerCase() === "host");
  return {
    url: pinned.href,
    headers: hasHost ? headers : { ...headers, host: url.host },
    ...(url.protocol === "https:" ? { tls: { serverName: host } } : {}),
  };
}
