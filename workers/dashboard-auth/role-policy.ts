import type { DashboardRole } from "../../db/schema/index.js";
import { isSafeMethod } from "./csrf.js";

/**
 * What each dashboard role may do, decided here on the server for every request (OWASP ASVS
 * 4.1.1: access control at a trusted service layer; the pages only hide what this refuses):
 * - `admin`: everything, including managing users and API keys;
 * - `developer`: everything a secret key can do except changing API keys (create, roll, revoke)
 *   and users: the two ways to hand out access;
 * - `read_only`: reads only (GET, HEAD), in any area.
 * Every role manages its own session (sign out, mode, password, second factor).
 */
const OWN_SESSION = "/dashboard/api/session";

const ADMIN_ONLY_CHANGES = ["/v1/api_keys", "/dashboard/api/users"];

function changesAccess(path: string): boolean {
  return ADMIN_ONLY_CHANGES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export function roleAllows(role: DashboardRole, method: string, path: string): boolean {
  if (path === OWN_SESSION || path.startsWith(`${OWN_SESSION}/`)) return true;
  switch (role) {
    case "admin":
      return true;
    case "developer":
      return isSafeMethod(method) || !changesAccess(path);
    case "read_only":
      return isSafeMethod(method);
    default: {
      const unknown: never = role;
      return unknown;
    }
  }
}
