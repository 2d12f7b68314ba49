/**
 * The {@code tributary} command: {@link io.tributary.platform.Tributary} (the main class),
 * {@link io.tributary.platform.Roles} (every role and what it depends on) and what runs a service
 * role until the process is told to stop. Each role lives in its own package.
 */
package io.tributary.platform;
