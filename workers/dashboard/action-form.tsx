import type { Child } from "hono/jsx";

interface ActionFormProps {
  id: string;
  url: string;
  method?: "POST" | "DELETE";
  label: string;
  /** What pressing again will do, said in full before it is done (the confirmation step). */
  confirm: string;
  danger?: boolean;
  children?: Child;
}

/**
 * One change through the API (capture, refund, resend, roll...): the page script sends it as a
 * `fetch` with the CSRF token after a second, confirming press. Without the script the form
 * does nothing (it has no action), so a page read without JavaScript changes nothing.
 */
export function ActionForm({ id, url, method = "POST", label, confirm, danger, children }: ActionFormProps) {
  return (
    <form class="action" id={id} data-url={url} data-method={method} novalidate>
      {children}
      <p class="confirm" hidden>
        {confirm}
      </p>
      <button type="submit" class={danger ? "danger" : undefined}>
        {label}
      </button>
      <button type="button" class="secondary back" hidden>
        Back
      </button>
      <p class="status" role="status" aria-live="polite" />
    </form>
  );
}
