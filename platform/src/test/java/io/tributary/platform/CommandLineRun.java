package io.tributary.platform;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One in-process run of the {@code tributary} command line with a given environment, capturing
 * its exit code and output.
 *
 * @param exitCode the exit code
 * @param out what it wrote to standard output
 * @param err what it wrote to standard error
 */
public record CommandLineRun(int exitCode, String out, String err) {

  /** Runs {@code args} with an empty environment. */
  public static CommandLineRun run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs {@code args} with {@code environment} as the process environment. */
  public static CommandLineRun run(Map<String, String> environment, String... args) {
    CommandLine commandLine = Tributary.commandLine(environment::get);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CommandLineRun(exitCode, out.toString(), err.toString());
  }
}
