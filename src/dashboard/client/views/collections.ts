// Collections and their triggers: health, pause/resume, enable, edit, rotate the signing secret
// and send a test delivery.
import { api, describe } from "../api";
import { actionButton, button, toast } from "../controls";
import { h, replace } from "../dom";
import { hrefFor } from "../router";
import { targetState } from "../targets";
import { healthCell } from "../targets_view";
import { editTriggerDialog, triggerInput } from "../trigger_form";
import { alert, badge, card, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";
import { newCollectionDialog } from "./collection_form";
import { rotateSecretDialog } from "./secret_dialog";

const triggersOf = (c: any): any[] => c.options?.triggers ?? c.triggers ?? [];

function triggerRow(c: any, t: any, reload: (c?: any) => void, errors: HTMLElement): HTMLElement {
  const state = targetState({ active: t.active, paused: t.paused, health: t });
  const base = `/api/collections/${encodeURIComponent(c.name)}/triggers/${encodeURIComponent(t.id ?? "")}`;
  const setPaused = async (paused: boolean) => {
    const list = triggersOf(c).map((x) => (x === t ? { ...triggerInput(x), paused } : triggerInput(x)));
    reload(await api("PATCH", `/api/collections/${encodeURIComponent(c.name)}`, { triggers: list }));
    toast(paused ? "Trigger paused: new deliveries are held" : "Trigger resumed: held deliveries are released");
  };
  const canPause = "paused" in t;
  const noPause = "This server cannot pause triggers (update hookd)";
  return h(
    "tr",
    { "data-trigger": t.id ?? t.action, "data-state": state },
    h("td", null, badge(state)),
    h("td", null, h("strong", null, t.action)),
    h(
      "td",
      { class: "col-url" },
      h("span", { class: "method" }, t.method ?? "POST"),
      h("span", { class: "truncate url", title: t.url }, t.url),
    ),
    h(
      "td",
      null,
      healthCell(t),
      h(
        "a",
        {
          class: "small deliveries-link",
          href: hrefFor("logs", t.id ? { collection: c.name, trigger: t.id } : { collection: c.name }),
        },
        "Deliveries →",
      ),
    ),
    h(
      "td",
      null,
      h(
        "div",
        { class: "row-actions" },
        state === "disabled"
          ? actionButton("Enable", "enable the trigger", () => setPaused(false), errors, {
              small: true,
              kind: "primary",
              testid: "enable",
              needs: "collections:write",
            })
          : t.paused
            ? actionButton("Resume", "resume the trigger", () => setPaused(false), errors, {
                small: true,
                kind: "primary",
                testid: "resume",
                needs: "collections:write",
              })
            : actionButton("Pause", "pause the trigger", () => setPaused(true), errors, {
                small: true,
                disabled: !canPause,
                title: canPause ? "Hold new deliveries until resumed" : noPause,
                testid: "pause",
                needs: "collections:write",
              }),
        button("Edit", () => editTriggerDialog(c, t, (updated) => (toast("Trigger saved"), reload(updated))), {
          small: true,
          testid: "edit",
          needs: "collections:write",
        }),
        actionButton(
          "Test",
          "send a test delivery",
          async () => {
            const res = await api<{ deliveryId: string }>("POST", `${base}/test`, {});
            toast("Test delivery queued");
            location.hash = hrefFor("logs", { collection: c.name, log: res.deliveryId });
          },
          errors,
          {
            small: true,
            disabled: !t.id,
            title: t.id
              ? "Send a sample payload to this URL now"
              : "This server has no trigger ids, so it cannot send a test",
            testid: "send-test",
            needs: "collections:write",
          },
        ),
        button("Secret", () => rotateSecretDialog(`${c.name} · ${t.action} trigger`, `${base}/secret`), {
          small: true,
          disabled: !t.id,
          title: t.id
            ? "Rotate the signing secret"
            : "This server has no trigger ids, so secrets cannot be rotated here",
          testid: "rotate",
          needs: "secrets:read",
        }),
      ),
    ),
  );
}

function collectionCard(c: any, reload: (c?: any) => void): HTMLElement {
  const errors = h("div");
  const triggers = triggersOf(c);
  const fields = (c.schema ?? c.fields ?? []).map((f: any) => f.name).join(", ");
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
            triggers.map((t) => triggerRow(c, t, reload, errors)),
          ),
        ),
      )
    : empty("No triggers", "Add a trigger to call a URL when records are created, updated or deleted.");
  return h(
    "div",
    { "data-collection": c.name },
    card(
      h(
        "div",
        { class: "collection-head" },
        h("h2", null, c.name),
        h("span", { class: "muted small" }, fields ? `fields: ${fields}` : "no fields"),
      ),
      [errors, body],
      button("Add trigger", () => editTriggerDialog(c, null, (updated) => (toast("Trigger added"), reload(updated))), {
        small: true,
        testid: "add-trigger",
        needs: "collections:write",
      }),
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
    const collections: any[] = [];
    const render = () => {
      if (collections.length === 0)
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
        collections.map((c) => collectionCard(c, reload)),
      );
    };
    const load = async () => {
      try {
        const page = await api<{ items: any[] }>("GET", "/api/collections?perPage=500");
        collections.splice(0, collections.length, ...page.items);
        render();
      } catch (err) {
        replace(list, alert("error", describe(err, "load the collections")));
      }
    };
    const reload = (updated?: any) => {
      const i = updated ? collections.findIndex((c) => c.name === updated.name) : -1;
      if (i >= 0) (collections[i] = updated), render();
      else void load();
    };
    const create = () => newCollectionDialog(() => (toast("Collection created"), void load()));
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
