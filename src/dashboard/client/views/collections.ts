// Collections and their triggers: fields at a glance, records, edit and delete; each trigger's
// state, conditions and health, pause/resume/enable, edit, test, secret and delete.
import { api, describe } from "../api";
import type { CollectionView, Page, TriggerView } from "../api_types";
import { button, confirmAction, toast } from "../controls";
import { h, replace } from "../dom";
import { hrefFor } from "../router";
import { recentFailures } from "../targets";
import { editTriggerDialog } from "../trigger_form";
import { alert, card, code, empty, loading, pageHeader, table } from "../ui";
import type { Screen } from "../view";
import { collectionDialog } from "./collection_form";
import { type Context, triggerRow } from "./trigger_row";
import { subscribe } from "../live";
import { LOG_LIVE_QUERY } from "../log_filters";
import { coalesced } from "../single_flight";

function fieldsSummary(c: CollectionView): HTMLElement {
  if (!c.schema.length) return h("span", { class: "muted small" }, "no fields");
  return h(
    "span",
    { class: "fields-summary small" },
    c.schema.map((f) =>
      h(
        "span",
        { class: "chip", title: f.type === "select" ? `one of ${(f.options.values as string[]).join(", ")}` : f.type },
        f.name,
        h("span", { class: "muted" }, ` ${f.type}${f.required ? " *" : ""}`),
      ),
    ),
  );
}

function collectionCard(c: CollectionView, ctx: Context): HTMLElement {
  const errors = h("div");
  const triggers = c.options.triggers as TriggerView[];
  const rowCtx = { ...ctx, errors };
  const body = triggers.length
    ? table(
        "trigger-table",
        ["State", "Action", "Request", "Health", ""],
        triggers.map((t) => triggerRow(c, t, rowCtx)),
      )
    : empty("No triggers", "Add a trigger to call a URL when records are created, updated or deleted.");
  const write = { small: true, needs: "collections:write" } as const;
  return h(
    "div",
    { "data-collection": c.name },
    card(
      h("div", { class: "collection-head" }, h("h2", null, c.name), fieldsSummary(c)),
      [errors, body],
      h("a", { class: "btn btn-secondary btn-sm", href: hrefFor("records", { collection: c.name }) }, "Records"),
      button("Add trigger", () => editTriggerDialog(c, null, () => (toast("Trigger added"), ctx.reload())), {
        ...write,
        testid: "add-trigger",
      }),
      button("Edit", () => collectionDialog(c, () => (toast("Collection saved"), ctx.reload())), {
        ...write,
        testid: "edit-collection",
      }),
      button(
        "Delete",
        () =>
          confirmAction(
            `Delete ${c.name}`,
            h("span", null, "Delete the collection ", code(c.name), ", every record in it and its triggers?"),
            "Delete collection",
            "delete the collection",
            async () => (await api("DELETE", `/api/collections/${encodeURIComponent(c.name)}`), ctx.reload()),
            "danger",
          ),
        { ...write, kind: "ghost", testid: "delete-collection" },
      ),
      h("a", { class: "btn btn-ghost btn-sm", href: hrefFor("logs", { collection: c.name }) }, "Deliveries"),
    ),
  );
}

const RELOAD_MS = 2000;

/** collectionsScreen lists collections with their triggers. */
export const collectionsScreen: Screen = {
  id: "collections",
  needs: "collections:read",
  title: "Collections",
  mount() {
    const list = h("div", { class: "stack" }, loading());
    const create = () => collectionDialog(null, () => (toast("Collection created"), void load()));
    const load = async () => {
      try {
        const [page, failures] = await Promise.all([
          api<Page<CollectionView>>("GET", "/api/collections?perPage=500"),
          recentFailures().catch(() => new Map<string, number>()),
        ]);
        const ctx: Context = { reload: () => void load(), failures, errors: h("div") };
        if (page.items.length === 0)
          return replace(
            list,
            card(
              null,
              empty(
                "No collections yet",
                "Create a collection, then add triggers that call your URLs when its records change.",
                button("New collection", create, { kind: "primary", needs: "collections:write" }),
              ),
            ),
          );
        replace(
          list,
          page.items.map((c) => collectionCard(c, ctx)),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "load the collections")));
      }
    };
    void load();
    // A trigger's delivery finishing changes its health: reload, at most every RELOAD_MS, and
    // not while the operator works in the list (focus would be lost).
    const reloadSoon = coalesced(function again() {
      if (list.contains(document.activeElement)) return void setTimeout(again, RELOAD_MS);
      void load();
    }, RELOAD_MS);
    const stop = subscribe(
      LOG_LIVE_QUERY,
      { filter: { source: "TRIGGER" } },
      {
        next: reloadSoon,
        state: () => {},
        unavailable: () => {},
      },
    );
    return {
      destroy: () => (stop(), reloadSoon.cancel()),
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Collections",
          "Tables of records, and the triggers that call a URL when records change.",
          button("New collection", create, { kind: "primary", testid: "new-collection", needs: "collections:write" }),
        ),
        list,
      ),
    };
  },
};
