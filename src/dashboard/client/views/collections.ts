// Collections and their triggers: fields at a glance, records, edit and delete; each trigger's
// state, conditions and health, pause/resume/enable, edit, test, secret and delete.
import { api, describe } from "../api";
import type { CollectionView, Page, TriggerView } from "../api_types";
import { actionButton, button, confirmAction, toast } from "../controls";
import { h, replace } from "../dom";
import { hrefFor } from "../router";
import { recentFailures, targetState } from "../targets";
import { healthCell } from "../targets_view";
import { editTriggerDialog } from "../trigger_form";
import { alert, badge, card, code, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";
import { collectionDialog } from "./collection_form";
import { secretDialog } from "./secret_dialog";

/** Context is what a trigger row needs from its screen. */
interface Context {
  reload(): void;
  failures: Map<string, number>;
  errors: HTMLElement;
}

/** triggerRules shows what narrows or shapes a trigger's deliveries, so a conditional trigger looks conditional. */
function triggerRules(t: TriggerView): HTMLElement | null {
  const rules = [
    t.condition ? ["if", t.condition] : null,
    t.columns?.length ? ["when changed", t.columns.join(", ")] : null,
    t.orderingKey ? ["ordered by", t.orderingKey] : null,
    t.transform ? ["transform", t.transform] : null,
    t.rateLimit ? ["rate", `${t.rateLimit}/s`] : null,
    t.maxInFlight ? ["in flight", String(t.maxInFlight)] : null,
    t.retrySchedule ? ["retries", t.retrySchedule.join(" ")] : null,
  ].filter((r): r is [string, string] => r !== null);
  if (!rules.length) return null;
  return h(
    "div",
    { class: "rules", "data-testid": "trigger-rules" },
    rules.map(([k, v]) => h("span", { class: "chip", title: v }, h("span", { class: "muted" }, `${k} `), v)),
  );
}

function triggerRow(c: CollectionView, t: TriggerView, ctx: Context): HTMLElement {
  const recent = ctx.failures.get(`trigger:${t.id}`) ?? 0;
  const state = targetState({ active: t.active, paused: t.paused, health: t, recentFailures: recent });
  const base = `/api/collections/${encodeURIComponent(c.name)}/triggers/${encodeURIComponent(t.id)}`;
  const write = { small: true, needs: "collections:write" } as const;
  const setPaused = async (paused: boolean) => {
    await api("PATCH", base, { paused });
    toast(paused ? "Trigger paused: new deliveries are held" : "Trigger resumed: held deliveries are released");
    ctx.reload();
  };
  const pauseButton =
    state === "disabled"
      ? actionButton("Enable", "enable the trigger", () => setPaused(false), ctx.errors, {
          ...write,
          kind: "primary",
          testid: "enable",
        })
      : t.paused
        ? actionButton("Resume", "resume the trigger", () => setPaused(false), ctx.errors, {
            ...write,
            kind: "primary",
            testid: "resume",
          })
        : actionButton("Pause", "pause the trigger", () => setPaused(true), ctx.errors, {
            ...write,
            title: "Hold new deliveries until resumed",
            testid: "pause",
          });
  return h(
    "tr",
    { "data-trigger": t.id, "data-state": state },
    h("td", null, badge(state)),
    h("td", null, h("strong", null, t.action)),
    h(
      "td",
      { class: "col-url" },
      h("span", { class: "method" }, t.method),
      h("span", { class: "truncate url", title: t.url }, t.url),
      triggerRules(t),
    ),
    h(
      "td",
      null,
      healthCell(t, recent),
      h(
        "a",
        { class: "small deliveries-link", href: hrefFor("logs", { collection: c.name, trigger: t.id }) },
        "Deliveries →",
      ),
    ),
    h(
      "td",
      null,
      h(
        "div",
        { class: "row-actions" },
        pauseButton,
        button("Edit", () => editTriggerDialog(c, t, () => (toast("Trigger saved"), ctx.reload())), {
          ...write,
          testid: "edit",
        }),
        actionButton(
          "Test",
          "send a test delivery",
          async () => {
            const res = await api<{ deliveryId: string }>("POST", `${base}/test`, {});
            toast("Test delivery queued");
            location.hash = hrefFor("logs", { collection: c.name, log: res.deliveryId });
          },
          ctx.errors,
          { ...write, title: "Send a sample payload to this URL now", testid: "send-test" },
        ),
        button("Secret", () => secretDialog(`the ${c.name} · ${t.action} trigger`, `${base}/secret`), {
          small: true,
          title: "Reveal, copy or rotate the signing secret",
          testid: "rotate",
          needs: "secrets:read",
        }),
        button(
          "Delete",
          () =>
            confirmAction(
              "Delete trigger",
              `Delete the ${t.action} trigger to ${t.url}? Its held deliveries end as failed.`,
              "Delete",
              "delete the trigger",
              async () => (await api("DELETE", base), toast("Trigger deleted"), ctx.reload()),
              "danger",
            ),
          { ...write, kind: "ghost", testid: "delete-trigger" },
        ),
      ),
    ),
  );
}

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
    ? h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table trigger-table" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              ["State", "Action", "Request", "Health", ""].map((x) => h("th", null, x)),
            ),
          ),
          h(
            "tbody",
            null,
            triggers.map((t) => triggerRow(c, t, rowCtx)),
          ),
        ),
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
    return {
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
