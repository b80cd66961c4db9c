/**
 * Injected equals real: what the demo answers and logs under an injected fault, compared
 * with what it answers and logs under the real failure.
 */
package dev.dbchaos.it.fidelity;
