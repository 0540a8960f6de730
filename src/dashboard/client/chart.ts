// The overview's chart: deliveries per bucket over the chosen range, delivered at once, delivered
// after a failed attempt and failed stacked, drawn as SVG paths (one bar per bucket) with a hover
// read-out. No chart library.
import { h, s } from "./dom";
import { niceCeiling, type Series } from "./chart_data";
import { count, zoneName } from "./format";

const HEIGHT = 160;

// Each bucket is a vertical stroke of at least 2 px, so a lone delivery stays visible.
function barsPath(values: number[], base: number[], scale: number): string {
  let d = "";
  values.forEach((v, i) => {
    if (v <= 0) return;
    const bottom = HEIGHT - base[i]! * scale;
    d += `M${i + 0.5} ${bottom.toFixed(2)}V${(bottom - Math.max(v * scale, 2)).toFixed(2)}`;
  });
  return d;
}

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 5);
const day = (ms: number) => new Date(ms).toLocaleDateString("en-US", { weekday: "short", day: "numeric" });
const sumOf = (a: number[], b: number[]) => a.map((v, i) => v + b[i]!);

/** deliveryChart renders the series with hour labels and a tooltip that follows the pointer. */
export function deliveryChart(series: Series): HTMLElement {
  const size = series.success.length;
  const top = niceCeiling(series.peak);
  const scale = HEIGHT / top;
  const zeros = new Array<number>(size).fill(0);
  const cursor = s("line", { class: "chart-cursor", x1: 0, x2: 0, y1: 0, y2: HEIGHT, visibility: "hidden" });
  const svg = s(
    "svg",
    {
      class: "chart-svg",
      viewBox: `0 0 ${size} ${HEIGHT}`,
      preserveAspectRatio: "none",
      role: "img",
      "aria-label": `Deliveries: ${count(series.totalSuccess)} succeeded (${count(series.totalRecovered)} after a failed attempt), ${count(series.totalFailed)} failed`,
    },
    [0.5, 1].map((f) =>
      s("line", { class: "chart-grid", x1: 0, x2: size, y1: HEIGHT - f * HEIGHT, y2: HEIGHT - f * HEIGHT }),
    ),
    s("path", { class: "chart-success", d: barsPath(series.success, zeros, scale) }),
    s("path", { class: "chart-recovered", d: barsPath(series.recovered, series.success, scale) }),
    s("path", { class: "chart-failed", d: barsPath(series.failed, sumOf(series.success, series.recovered), scale) }),
    cursor,
  );
  const tip = h("div", { class: "chart-tip", hidden: true });
  const plot = h(
    "div",
    { class: "chart-plot" },
    svg,
    tip,
    h("span", { class: "chart-y chart-y-top" }, count(top)),
    top % 2 === 0 ? h("span", { class: "chart-y chart-y-mid" }, count(top / 2)) : null,
  );
  plot.addEventListener("pointermove", (e) => {
    const box = plot.getBoundingClientRect();
    const i = Math.min(size - 1, Math.max(0, Math.floor(((e.clientX - box.left) / box.width) * size)));
    cursor.setAttribute("x1", String(i + 0.5));
    cursor.setAttribute("x2", String(i + 0.5));
    cursor.setAttribute("visibility", "visible");
    tip.hidden = false;
    const at = series.startMs + i * series.bucketMs;
    const when = series.bucketMs >= 3_600_000 ? `${day(at)} ${clock(at)}` : clock(at);
    tip.textContent = `${when} · ${count(series.success[i]! + series.recovered[i]!)} ok (${count(series.recovered[i]!)} after retrying) · ${count(series.failed[i]!)} failed`;
    tip.classList.toggle("chart-tip-left", e.clientX - box.left > box.width / 2);
  });
  plot.addEventListener("pointerleave", () => ((tip.hidden = true), cursor.setAttribute("visibility", "hidden")));
  const spanMs = size * series.bucketMs;
  const ticks = [0, 1, 2, 3, 4, 5, 6].map((k) => {
    const at = series.startMs + (k / 6) * spanMs;
    return h("span", null, k === 6 ? "now" : spanMs > 86_400_000 ? day(at) : clock(at));
  });
  return h(
    "div",
    { class: "chart" },
    plot,
    h("div", { class: "chart-x" }, ticks),
    h(
      "div",
      { class: "chart-legend" },
      h("span", { class: "dot dot-ok" }),
      "Delivered",
      h("span", { class: "dot dot-warn" }),
      "Delivered after a failed attempt",
      h("span", { class: "dot dot-bad" }),
      "Failed",
      h("span", { class: "muted" }, `· times in ${zoneName(new Date())}`),
    ),
  );
}
