package io.tributary.platform.topics;

import io.tributary.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tributary topics list}: the catalog, without touching a cluster. */
@Command(name = "list", description = "Print the topic catalog: name, partitions, retention, cleanup policy, key and value.")
public final class TopicsListCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(CatalogTable.render(TopicCatalog.ALL));
    out.flush();
  }
}
