/**
 * Command-line plumbing shared by every role: exit codes, configuration errors, the environment as
 * a source of option defaults, option types, and the options several roles share.
 */
package io.tributary.platform.cli;
