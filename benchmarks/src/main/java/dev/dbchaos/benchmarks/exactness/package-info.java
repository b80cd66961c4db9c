/**
 * Checks that dbchaos injects exactly what a rule asks for: how long a latency fault
 * holds a call, how often a probabilistic fault fires, and from which call on a change is
 * in force.
 */
package dev.dbchaos.benchmarks.exactness;
