import { z } from "zod";

/** 9999-12-31T23:59:59Z: past it a JavaScript Date is invalid, and a query on it would be a 500. */
const LAST_SECOND = 253_402_300_799;

/** A `created[...]` query bound: unix seconds, as the API's objects show time. */
export const unixSecondsQuery = z.coerce.number().int().min(0).max(LAST_SECOND);
