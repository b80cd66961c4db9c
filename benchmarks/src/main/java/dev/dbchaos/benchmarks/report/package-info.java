/**
 * Turns JMH's JSON output into the Markdown table and the PNG chart of
 * {@code docs/benchmarks.md}, with nothing but the JDK.
 */
package dev.dbchaos.benchmarks.report;
