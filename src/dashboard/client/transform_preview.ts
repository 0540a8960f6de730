// The live preview of a transform: as the expression is typed, POST /api/transform/preview runs
// it on a sample event and the body it would send (or its error, with the position) is shown.
import { api, describe } from "./api";
import { h, replace } from "./dom";
import { prettyBody } from "./format";

type Preview = { body: string | null } | { error: { message: string; position: number | null } };

const DEBOUNCE_MS = 250;

/** transformPreview follows `source` and shows the preview in `host`; the answer runs it again (e.g. when the event changes). */
export function transformPreview(source: HTMLTextAreaElement, host: HTMLElement, event: () => unknown): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const run = async () => {
    const transform = source.value.trim();
    const ticket = ++asked;
    if (!transform) return replace(host);
    try {
      const res = await api<Preview>("POST", "/api/transform/preview", { transform, event: event() });
      if (ticket !== asked) return;
      if ("error" in res)
        replace(
          host,
          h(
            "p",
            { class: "preview-error", role: "alert" },
            `Error${res.error.position === null ? "" : ` at ${res.error.position}`}: ${res.error.message}`,
          ),
        );
      else
        replace(
          host,
          h("span", { class: "field-label" }, "Preview on a sample record"),
          h("pre", { class: "pre" }, prettyBody(res.body) || "(no body)"),
        );
    } catch (err) {
      if (ticket === asked)
        replace(host, h("p", { class: "preview-error", role: "alert" }, describe(err, "preview the transform")));
    }
  };
  const soon = () => (clearTimeout(timer), (timer = setTimeout(run, DEBOUNCE_MS)));
  source.addEventListener("input", soon);
  return () => void run();
}
