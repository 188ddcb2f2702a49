import { reportDropRoutes } from "../reports/report-drop.js";
import { clearingFileLines } from "./clearing-file.js";
import { type Discrepancies, discrepanciesSchema, NO_DISCREPANCIES } from "./discrepancies.js";
import type { Ledger } from "./ledger.js";

/**
 * Where the acquirer publishes its clearing files for the gateway to pull
 * (simulators/reports/report-drop.ts: a bearer token, the day so far, 404 for a day to come):
 * `GET /reports/clearing/{YYYY-MM-DD}`, and `PUT /reports/discrepancies` to get the next files
 * wrong on purpose. The layout's trailer (a count and a net per currency) tells a file cut short,
 * so no digest is stated.
 */
export function clearingReportRoutes(deps: {
  ledger: Ledger;
  acquirer: string;
  country: string;
  token: string | null;
  discrepancies: { get(): Discrepancies; set(next: Discrepancies): void };
}) {
  return reportDropRoutes({
    name: "clearing",
    tokenSetting: "ACQUIRER_REPORT_TOKEN",
    token: deps.token,
    contentType: "text/plain; charset=utf-8",
    filename: (day) => `clearing-${day.replaceAll("-", "")}.txt`,
    lines: (day, discrepancies) =>
      clearingFileLines(deps.ledger.all(), day, { acquirer: deps.acquirer, country: deps.country, discrepancies }),
    eol: "\n",
    digest: false,
    schema: discrepanciesSchema,
    none: NO_DISCREPANCIES,
    discrepancies: deps.discrepancies,
  });
}
