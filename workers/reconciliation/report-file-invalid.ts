/**
 * A file the run cannot read as the processor's report for the day: another day's, cut short,
 * altered in transfer, or not one at all. The run keeps nothing of it (processor_report_invalid).
 */
export class ReportFileInvalid extends Error {}
