/**
 * Turns JMH's JSON output into the Markdown table and the PNG chart, and renders
 * {@code docs/benchmarks.md} from its template and the results files, with nothing but
 * the JDK.
 */
package dev.dbchaos.benchmarks.report;
