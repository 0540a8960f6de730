// The overview's chart: deliveries per minute over 24 hours, success stacked under failed, drawn
// as two SVG paths (one bar per minute) with a hover read-out. No chart library.
import { h, s } from "./dom";
import { niceCeiling, type Series } from "./chart_data";
import { count } from "./format";

const HEIGHT = 160;

// Each minute is a vertical stroke of at least 2 px (non-scaling), so a lone minute stays
// visible even when 1,440 of them share a phone-width chart.
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
      "aria-label": `Deliveries per minute: ${count(series.totalSuccess)} succeeded, ${count(series.totalFailed)} failed`,
    },
    [0.5, 1].map((f) =>
      s("line", { class: "chart-grid", x1: 0, x2: size, y1: HEIGHT - f * HEIGHT, y2: HEIGHT - f * HEIGHT }),
    ),
    s("path", { class: "chart-success", d: barsPath(series.success, zeros, scale) }),
    s("path", { class: "chart-failed", d: barsPath(series.failed, series.success, scale) }),
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
    tip.textContent = `${clock(series.startMs + i * 60_000)} · ${count(series.success[i]!)} ok · ${count(series.failed[i]!)} failed`;
    tip.classList.toggle("chart-tip-left", e.clientX - box.left > box.width / 2);
  });
  plot.addEventListener("pointerleave", () => ((tip.hidden = true), cursor.setAttribute("visibility", "hidden")));
  const hours = [0, 4, 8, 12, 16, 20, 24].map((hr) =>
    h("span", null, hr === 24 ? "now" : clock(series.startMs + hr * 60 * 60_000)),
  );
  return h(
    "div",
    { class: "chart" },
    plot,
    h("div", { class: "chart-x" }, hours),
    h(
      "div",
      { class: "chart-legend" },
      h("span", { class: "dot dot-ok" }),
      "Succeeded",
      h("span", { class: "dot dot-bad" }),
      "Failed",
    ),
  );
}
