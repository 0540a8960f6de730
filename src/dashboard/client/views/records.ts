// The records browser: one collection's records, filtered and sorted with the API's own syntax
// (kept in the URL), paged; create, edit and delete; changes made through the API show live.
import { api, describe } from "../api";
import type { CollectionView, Page } from "../api_types";
import { button } from "../controls";
import { h, replace } from "../dom";
import { count, dateTime } from "../format";
import { input } from "../forms";
import { subscribe } from "../live";
import { navigate } from "../router";
import { allows } from "../scopes";
import { singleFlight } from "../single_flight";
import { alert, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";
import { recordDialog, type RecordData } from "./record_form";

const PER_PAGE = 30;
const LIVE = "subscription DashboardRecords($c: String!) { recordChanged(collection: $c) { action } }";

function cell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** recordsScreen browses the records of a collection. */
export const recordsScreen: Screen = {
  id: "records",
  needs: "records:read",
  title: "Records",
  mount(initial) {
    let params = initial;
    let collections: CollectionView[] = [];
    let stopLive: () => void = () => {};
    const head = h("div", { class: "card records-bar" });
    const listHost = h("div", { class: "card table-card" }, loading());
    const pager = h("div", { class: "pager" });
    const newButton = h("span");
    const current = () => collections.find((c) => c.name === params.get("collection")) ?? collections[0];
    const go = (next: Record<string, string | null>) =>
      navigate("records", {
        collection: current()?.name,
        filter: params.get("filter"),
        sort: params.get("sort"),
        ...next,
      });

    function renderBar(c: CollectionView): void {
      const form = h(
        "form",
        {
          class: "records-form",
          onsubmit: (e: Event) => {
            e.preventDefault();
            const data = new FormData(form);
            go({ filter: String(data.get("filter") ?? ""), sort: String(data.get("sort") ?? ""), page: null });
          },
        },
        h(
          "select",
          {
            name: "collection",
            "aria-label": "Collection",
            onchange: (e: Event) => navigate("records", { collection: (e.target as HTMLSelectElement).value }),
          },
          collections.map((x) => h("option", { value: x.name, selected: x === c }, x.name)),
        ),
        input("filter", params.get("filter"), {
          placeholder: "filter, e.g. status = 'paid' && total > 10",
          "aria-label": "Filter",
        }),
        input("sort", params.get("sort"), { placeholder: "sort, e.g. -created", "aria-label": "Sort" }),
        h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "apply-records" }, "Apply"),
      );
      replace(head, form);
      replace(
        newButton,
        button("New record", () => recordDialog(c, null, () => void reload()), {
          kind: "primary",
          testid: "new-record",
          needs: `records:write:${c.name}`,
        }),
      );
    }

    async function load(): Promise<void> {
      const c = current();
      if (!c)
        return replace(listHost, empty("No collections yet", "Create a collection first, on the Collections screen."));
      const page = Math.max(1, Number(params.get("page")) || 1);
      const query = new URLSearchParams({ page: String(page), perPage: String(PER_PAGE) });
      for (const k of ["filter", "sort"]) if (params.get(k)) query.set(k, params.get(k)!);
      try {
        const res = await api<Page<RecordData>>(
          "GET",
          `/api/collections/${encodeURIComponent(c.name)}/records?${query}`,
        );
        const columns = ["id", ...c.schema.map((f) => f.name), "updated"];
        const editable = allows(`records:write:${c.name}`);
        replace(
          listHost,
          res.items.length === 0
            ? empty(
                params.get("filter") ? "No matching records" : "No records yet",
                params.get("filter") ? "Change or clear the filter." : "Create one, or write through the API.",
              )
            : h(
                "div",
                { class: "table-wrap" },
                h(
                  "table",
                  { class: "table records-table" },
                  h(
                    "thead",
                    null,
                    h(
                      "tr",
                      null,
                      columns.map((k) => h("th", null, k)),
                    ),
                  ),
                  h(
                    "tbody",
                    null,
                    res.items.map((r) =>
                      h(
                        "tr",
                        {
                          class: editable ? "clickable" : "",
                          "data-record": String(r.id),
                          tabindex: editable ? 0 : undefined,
                          onclick: () => editable && recordDialog(c, r, () => void reload()),
                          onkeydown: (e: KeyboardEvent) =>
                            editable && e.key === "Enter" && recordDialog(c, r, () => void reload()),
                        },
                        columns.map((k) =>
                          h(
                            "td",
                            null,
                            h("span", { class: "cell" }, k === "updated" ? dateTime(String(r[k])) : cell(r[k])),
                          ),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
        );
        replace(
          pager,
          h(
            "span",
            { class: "muted" },
            res.totalItems ? `${count(res.totalItems)} record${res.totalItems === 1 ? "" : "s"}` : "",
          ),
          h(
            "div",
            { class: "actions" },
            button("Previous", () => go({ page: String(page - 1) }), { small: true, disabled: page <= 1 }),
            button("Next", () => go({ page: String(page + 1) }), { small: true, disabled: page >= res.totalPages }),
          ),
        );
      } catch (err) {
        replace(listHost, alert("error", describe(err, "list the records")));
      }
    }
    const reload = singleFlight(load);

    let following: string | null = null;
    function follow(c: CollectionView | undefined): void {
      if (!c || following === c.name) return;
      stopLive();
      following = c.name;
      stopLive = subscribe<{ recordChanged: { action: string } }>(
        LIVE,
        { c: c.name },
        {
          next: () => reload(),
          state: () => {},
          unavailable: () => {},
        },
      );
    }

    async function start(): Promise<void> {
      try {
        collections = (await api<Page<CollectionView>>("GET", "/api/collections?perPage=500")).items;
      } catch (err) {
        return replace(listHost, alert("error", describe(err, "load the collections")));
      }
      apply(params);
    }
    function apply(next: URLSearchParams): void {
      params = next;
      const c = current();
      if (c) renderBar(c);
      follow(c);
      reload();
    }
    void start();
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Records",
          "Browse, filter and edit the records of a collection. Writes here fire its triggers.",
          newButton,
        ),
        head,
        listHost,
        pager,
      ),
      update: (next) => (collections.length ? apply(next) : (params = next)),
      destroy: () => stopLive(),
    };
  },
};
