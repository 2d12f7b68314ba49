package io.tributary.platform.topics;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tributary topics}: the catalog's topics. */
@Command(name = "topics",
    description = "Create or check the catalog's topics, or print the catalog.",
    subcommands = {TopicsCreateCommand.class, TopicsListCommand.class})
public final class TopicsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing sub-command: create or list");
  }
}
