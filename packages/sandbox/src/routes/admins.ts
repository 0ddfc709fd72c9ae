import type { Reply } from "../errors.js";
import { adminView } from "../views.js";
import { ok, type RouteContext } from "./context.js";

/** `GET /admins` (`admin_list`); `?display_avatar=true` adds each admin's avatar. */
export function listAdmins(ctx: RouteContext): Reply {
  const withAvatar = ctx.query.get("display_avatar") === "true";
  return ok({ type: "admin.list", admins: ctx.store.data.admins.map((a) => adminView(a, withAvatar)) });
}
