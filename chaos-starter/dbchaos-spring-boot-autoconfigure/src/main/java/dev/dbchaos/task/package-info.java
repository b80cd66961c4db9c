/**
 * Carrying the scope of the code that submits a task into the task, so that work a
 * request starts in the background is tested under that request's faults.
 */
@NullMarked
package dev.dbchaos.task;

import org.jspecify.annotations.NullMarked;
