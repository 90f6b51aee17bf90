import type { LoaderFunctionArgs } from "@remix-run/node";
import { getTrainingRun, toRunView } from "~/models/training-run.server";
import { requireRole } from "~/utils/auth/auth.server";
import { getSessionUser } from "~/utils/auth/session.server";

/**
 * Server-sent events: the run's state whenever it changes (polled from the database once a second,
 * so it works whichever process wrote it), until the run has finished, the browser goes away or
 * the session ends.
 */
const ROLES = ["datascientist", "admin"] as const;

/** The session that opened the stream is still signed in with a role that may watch. */
async function stillAllowed(request: Request): Promise<boolean> {
  const user = await getSessionUser(request, { touch: false });
  return user !== null && (ROLES as readonly string[]).includes(user.role);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ROLES);
  const id = params.runId ?? "";
  const first = await getTrainingRun({ id });
  if (!first) throw new Response("Not found", { status: 404 });
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener("abort", close);
      const tick = async () => {
        if (closed) return;
        try {
          // A logout, a role change or an idle timeout ends the stream too.
          if (!(await stillAllowed(request))) return close();
          const run = await getTrainingRun({ id });
          if (!run) return close();
          const view = toRunView(run);
          const data = JSON.stringify(view);
          if (data !== last) {
            last = data;
            controller.enqueue(encoder.encode(`event: run\ndata: ${data}\n\n`));
          } else {
            controller.enqueue(encoder.encode(": keep-alive\n\n"));
          }
          if (view.finished) return close();
        } catch {
          return close();
        }
        timer = setTimeout(tick, 1000);
      };
      controller.enqueue(encoder.encode("retry: 3000\n\n"));
      void tick();
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
