import type { Reply } from "../errors.js";
import { tagView } from "../views.js";
import { isReply, ok, type RouteContext, resolveContact } from "./context.js";

export function listTags(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const data = c.tags.flatMap((t) => {
    const tag = ctx.store.data.tags.find((x) => x.id === t.id);
    return tag ? [tagView(tag, t.applied_at)] : [];
  });
  return ok({ type: "list", data });
}
