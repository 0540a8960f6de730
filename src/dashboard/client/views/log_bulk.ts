// Bulk retry and cancel of the filtered set (docs/operating.md), each asked for before it runs. A bulk
// action needs a filter: with none the buttons stay disabled and say why.
import { api } from "../api";
import { button, confirmAction, toast } from "../controls";
import { count } from "../format";
import { apiFilter, describeFilter, isEmptyFilter, type LogFilter } from "../log_filters";

/** BulkActions are the two buttons; follow() tells them the filter in force. */
export interface BulkActions {
  buttons: HTMLButtonElement[];
  follow(filter: LogFilter): void;
}

/** bulkActions makes the retry and cancel buttons; `done` runs after an action went through. */
export function bulkActions(done: () => Promise<void>): BulkActions {
  let filter: LogFilter = {};
  const run = (kind: "retry" | "cancel") => {
    const what =
      kind === "retry" ? "Re-queue the failed and cancelled deliveries" : "Cancel the pending and held deliveries";
    confirmAction(
      kind === "retry" ? "Retry matching deliveries" : "Cancel matching deliveries",
      `${what} matching: ${describeFilter(filter)}.`,
      kind === "retry" ? "Retry them" : "Cancel them",
      `${kind} the deliveries`,
      async () => {
        const { count: n } = await api<{ count: number }>("POST", `/api/webhooks/logs/${kind}`, {
          filter: apiFilter(filter),
        });
        toast(`${kind === "retry" ? "Re-queued" : "Cancelled"} ${count(n)} deliver${n === 1 ? "y" : "ies"}`);
        await done();
      },
      kind === "cancel" ? "danger" : "primary",
    );
  };
  const buttons = [
    button("Retry matching", () => run("retry"), { small: true, testid: "bulk-retry", needs: "logs:write" }),
    button("Cancel matching", () => run("cancel"), { small: true, testid: "bulk-cancel", needs: "logs:write" }),
  ];
  return {
    buttons,
    follow(next) {
      filter = next;
      const none = isEmptyFilter(next);
      for (const b of buttons) {
        b.disabled = none;
        b.title = none
          ? "Choose a filter first: bulk actions apply to a filtered set"
          : `Applies to: ${describeFilter(next)}`;
      }
    },
  };
}
