package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.gateway.OtlpGateway;
import io.tributary.console.ConsoleConfig;
import io.tributary.console.ConsoleServer;
import io.tributary.platform.Roles;
import io.tributary.platform.connect.SinkConnectors;
import io.tributary.platform.console.ConsoleRole;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console of {@code tributary dev} in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromedriver}): known traces go through the gateway, the pipelines and the Elasticsearch
 * sink into a real Elasticsearch; then the overview shows throughput, a search by service finds the
 * error trace, its deep link shows its spans in order with the error marked, and the LLM page's
 * cost chart has points; with API keys, the console asks for one and shows only that tenant's data.
 * Screenshots go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final String SHOP = "console-it-shop";
  private static final String ASSISTANT = "console-it-assistant";
  /** The checkout trace's spans in the order the waterfall shows them: depth first, children by start. */
  private static final List<String> CHECKOUT_SPANS = List.of("POST /checkout", "reserve stock", "charge card", "call bank");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path temp;

  @Test
  void shouldShowThroughputTracesAndLlmCostInABrowser() throws Exception {
    requireBrowser();
    Path zip = elasticsearchZip();
    RoleContext context = DevOnFreePorts.context(temp, "--elasticsearch-dir", temp.resolve("elasticsearch").toString(),
        "--elasticsearch-distribution", zip.toString());
    try (StartedRoles started = Roles.REGISTRY.start(Roles.DEV, context)) {
      OtlpGateway gateway = context.require(GatewayRole.GATEWAY);
      URI console = context.require(ConsoleRole.URL);
      String checkoutTrace = sendTraffic("http://127.0.0.1:" + gateway.httpPort());
      WebDriver browser = browser();
      try {
        // Overview: the topics the gateway wrote moved within the last minute.
        browser.get(console.toString());
        await("the overview shows spans written to otlp_spans").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> rate(browser, "topic otlp_spans written") > 0);
        assertThat(browser.findElements(By.cssSelector("[data-chart] canvas"))).as("uPlot drew charts").isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("#health [data-role='gateway'] .badge")).getText())
            .isEqualTo("healthy");
        screenshot(browser, "overview");

        // Trace view by deep link: spans depth first with the error marked (sampling keeps error traces).
        // The console's API says when the sink has written them (generous: decision wait, then the sink, on a
        // loaded machine); then the browser opens the page once.
        await("the checkout trace's spans reach Elasticsearch").atMost(Duration.ofSeconds(300))
            .pollInterval(Duration.ofSeconds(3))
            .until(() -> api(console, "/api/traces/" + checkoutTrace), body -> body.contains("\"call bank\""));
        // Overview again: the Elasticsearch sink delivered them, as the Connect worker's /metrics counts.
        browser.get(console.toString());
        await("the overview shows the Elasticsearch sink's deliveries").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> sinkCount(browser, SinkConnectors.ELASTICSEARCH, "data-delivered-total") > 0);
        assertThat(browser.findElement(By.cssSelector("#health [data-role='connect'] .badge")).getText())
            .isEqualTo("healthy");
        screenshot(browser, "overview-sinks");

        browser.get(console.resolve("/traces/" + checkoutTrace).toString());
        await("the waterfall is drawn").atMost(Duration.ofSeconds(20))
            .until(() -> spanNames(browser).size() == CHECKOUT_SPANS.size());
        assertThat(spanNames(browser)).containsExactlyElementsOf(CHECKOUT_SPANS);
        List<WebElement> errors = browser.findElements(By.cssSelector("#waterfall .span-row.error"));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).findElement(By.cssSelector(".label")).getText()).contains("charge card");
        assertThat(browser.findElement(By.id("span-details")).getText())
            .as("the error span's details open first").contains("charge card", "card declined", "kept by sampling policy");
        screenshot(browser, "trace");

        // Search by service: the error trace is found, with its error count.
        browser.get(console.resolve("/traces").toString());
        WebElement service = browser.findElement(By.cssSelector("#search input[name='service']"));
        service.sendKeys(SHOP);
        browser.findElement(By.cssSelector("#search button")).click();
        await("a search by service finds the error trace").atMost(Duration.ofSeconds(20))
            .until(() -> !browser.findElements(By.cssSelector("#results tr[data-trace-id='" + checkoutTrace + "']"))
                .isEmpty());
        WebElement row = browser.findElement(By.cssSelector("#results tr[data-trace-id='" + checkoutTrace + "']"));
        assertThat(row.getAttribute("data-errors")).isEqualTo("1");
        assertThat(browser.findElements(By.cssSelector("#results tbody tr"))).as("only the service searched for")
            .allSatisfy(r -> assertThat(r.getText()).contains(SHOP).doesNotContain(ASSISTANT));
        assertThat(browser.getCurrentUrl()).contains("service=" + SHOP);
        screenshot(browser, "search");

        // LLM: the kept LLM calls (cost above the llm-cost policy's threshold) put points on the cost chart.
        await("the LLM calls reach Elasticsearch").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(3))
            .until(() -> api(console, "/api/llm?lookback=15m"), body -> body.contains("\"model\":\"gpt-4o\""));
        browser.get(console.resolve("/llm?lookback=15m").toString());
        await("the LLM cost chart has points").atMost(Duration.ofSeconds(20)).until(() -> {
          List<WebElement> cost = browser.findElements(By.cssSelector("[data-chart='cost-by-model']"));
          return !cost.isEmpty() && Integer.parseInt(cost.get(0).getAttribute("data-points")) > 0;
        });
        assertThat(browser.findElement(By.cssSelector("#models tr[data-model='gpt-4o']")).getText()).contains("gpt-4o");
        screenshot(browser, "llm");

        browser.get(console.resolve("/alerts").toString());
        await("the alerts page answers").atMost(Duration.ofSeconds(20))
            .until(() -> !browser.findElements(By.id("alerts")).isEmpty());
        screenshot(browser, "alerts");

        // With API keys, the console asks for one and shows only that key's tenant (dev's data is the default tenant).
        try (ConsoleServer withKeys = ConsoleServer.start(new ConsoleConfig("127.0.0.1", 0,
            Optional.of(context.require(ElasticsearchRole.URL)), Optional.empty(), Optional.empty(), Map.of(),
            Map.of("key-default", TelemetryHeaders.DEFAULT_TENANT, "key-other", "other"), Duration.ofSeconds(5)))) {
          String deepLink = withKeys.url().resolve("/traces/" + checkoutTrace).toString();
          browser.get(deepLink);
          signIn(browser, "key-other");
          await("another tenant does not see the trace").atMost(Duration.ofSeconds(20))
              .until(() -> browser.findElements(By.id("error")).stream().anyMatch(e -> e.getText().contains("no spans")));
          assertThat(browser.findElement(By.id("session")).getText()).isEqualTo("tenant other");
          screenshot(browser, "other-tenant");
          ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
          browser.get(deepLink);
          signIn(browser, "key-default");
          await("the trace's tenant sees it").atMost(Duration.ofSeconds(20))
              .until(() -> spanNames(browser).size() == CHECKOUT_SPANS.size());
          assertThat(browser.findElement(By.id("session")).getText()).isEqualTo("tenant default");
        }
      } catch (AssertionError | RuntimeException e) {
        screenshot(browser, "failure");
        throw e;
      } finally {
        browser.quit();
      }
      assertThat(started.names()).contains(Roles.CONSOLE);
    }
  }

  private static void signIn(WebDriver browser, String key) {
    await("the console asks for an API key").atMost(Duration.ofSeconds(20))
        .until(() -> !browser.findElements(By.id("api-key")).isEmpty());
    browser.findElement(By.id("api-key")).sendKeys(key);
    browser.findElement(By.cssSelector("form.login button")).click();
  }

  private static String api(URI console, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(console.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static long sinkCount(WebDriver browser, String connector, String attribute) {
    List<WebElement> rows = browser.findElements(By.cssSelector("#sinks tr[data-sink='" + connector + "']"));
    return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).getAttribute(attribute));
  }

  private static double rate(WebDriver browser, String stage) {
    List<WebElement> rows = browser.findElements(By.cssSelector("#stages tr[data-stage='" + stage + "']"));
    return rows.isEmpty() ? 0 : Double.parseDouble(rows.get(0).getAttribute("data-rate"));
  }

  private static List<String> spanNames(WebDriver browser) {
    List<String> names = new ArrayList<>();
    for (WebElement label : browser.findElements(By.cssSelector("#waterfall .span-row .label"))) {
      String text = label.getText();
      String service = label.findElement(By.cssSelector(".service")).getText();
      names.add(text.substring(service.length()).replace("⚠", "").trim());
    }
    return names;
  }

  /**
   * One checkout trace with a failing payment nested two deep, and three LLM calls whose cost
   * (gpt-4o, about $1.13 each) is above the shipped llm-cost policy's $1 threshold, so sampling keeps
   * them; returns the checkout trace's id.
   */
  private static String sendTraffic(String endpoint) {
    SdkTracerProvider shop = tracing(endpoint, SHOP);
    SdkTracerProvider assistant = tracing(endpoint, ASSISTANT);
    try {
      Tracer tracer = shop.get("console-it");
      Span root = tracer.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
      Context parent = Context.current().with(root);
      tracer.spanBuilder("reserve stock").setParent(parent).startSpan().end();
      Span charge = tracer.spanBuilder("charge card").setParent(parent).setSpanKind(SpanKind.CLIENT).startSpan();
      tracer.spanBuilder("call bank").setParent(Context.current().with(charge)).startSpan().end();
      charge.setStatus(StatusCode.ERROR, "card declined");
      charge.end();
      root.end();
      Tracer llm = assistant.get("console-it");
      for (int i = 0; i < 3; i++) {
        llm.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT).setAllAttributes(Attributes.builder()
            .put("gen_ai.operation.name", "chat").put("gen_ai.request.model", "gpt-4o")
            .put("gen_ai.usage.input_tokens", 50_000L).put("gen_ai.usage.output_tokens", 100_000L)
            .put("gen_ai.server.time_to_first_token", 0.25 + i * 0.1).build()).startSpan().end();
      }
      assertThat(shop.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(assistant.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      return root.getSpanContext().getTraceId();
    } finally {
      shop.shutdown().join(10, TimeUnit.SECONDS);
      assistant.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static SdkTracerProvider tracing(String endpoint, String service) {
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service))))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint + "/v1/traces").build()).build())
        .build();
  }

  private static void requireBrowser() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw RequiredBackend.missing("headless Chromium is missing (" + CHROMIUM + ", " + CHROMEDRIVER
          + "): apt-get install -y chromium chromium-driver");
    }
  }

  /** The system's Chromium through the system's chromedriver: nothing is downloaded. */
  private WebDriver browser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path elasticsearchZip() {
    String zip = System.getProperty("tributary.elasticsearch.zip");
    if (zip == null || !Files.isRegularFile(Path.of(zip))) {
      throw RequiredBackend.missing("the Elasticsearch distribution zip (system property tributary.elasticsearch.zip, "
          + "set by the build) is missing: " + zip);
    }
    return Path.of(zip);
  }
}
