package io.tributary.sinks.elasticsearch.internal;

import static java.util.Objects.requireNonNull;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.SendOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one batch of documents as a bulk {@code create} request and answers per document, the way
 * the bulk API does; the shared batching engine ({@code ShardedBatcher}) batches (by count, bytes
 * and age), runs the requests in flight, retries with backoff and bounds what is buffered:
 * <ul>
 *   <li>created, or 409 (a document with that id exists: an earlier delivery) -> delivered;</li>
 *   <li>400 (mapping/parsing refused) -> dead-lettered with Elasticsearch's reason (the detail,
 *       which may quote the value, travels only to the dead-letter topic);</li>
 *   <li>429, 5xx, any other status -> that document is retried, never dropped;</li>
 *   <li>a refused connection, a timeout, an error for the whole request -> the batch is retried;</li>
 *   <li>401 or 403 for the whole request (credentials, privileges) -> the task stops with the reason;</li>
 *   <li>413 (request too large) -> the batch is split in halves; one document too large is dead-lettered.</li>
 * </ul>
 * Index templates are installed ({@link Preparation}) before the first request, and again before
 * the next one while installing fails. Never logs document contents.
 */
public final class BulkSender implements BatchSender<BulkSender.Document> {

  /** Bytes of a bulk action line ({@code {"create":{"_index":...,"_id":...}}}) besides the names. */
  private static final int ACTION_OVERHEAD = 40;

  /** A document to create in {@code index} under {@code id}. */
  public record Document(String index, String id, byte[] json) {
    /** What it adds to a bulk request, for {@code batch.max.bytes}. */
    public long size() {
      return json.length + index.length() + id.length() + ACTION_OVERHEAD;
    }
  }

  /** Runs before the first request and again after it failed; throws if the store is not ready. */
  public interface Preparation {
    void prepare() throws IOException;
  }

  private final ElasticsearchClient client;
  private final Preparation preparation;
  private final Object prepareLock = new Object();
  private volatile boolean prepared;

  private final AtomicLong created = new AtomicLong();
  private final AtomicLong alreadyPresent = new AtomicLong();

  public BulkSender(ElasticsearchClient client, Preparation preparation) {
    this.client = requireNonNull(client, "client");
    this.preparation = requireNonNull(preparation, "preparation");
  }

  /** Documents created so far. */
  public long created() {
    return created.get();
  }

  /** Documents that were already there (409): re-deliveries and replays. */
  public long alreadyPresent() {
    return alreadyPresent.get();
  }

  @Override
  public SendOutcome send(String requestKey, List<Document> documents) {
    try {
      prepareOnce();
      BulkResponse response = client.bulk(request(documents));
      if (response.items().size() != documents.size()) {
        return SendOutcome.retry("bulk response has " + response.items().size() + " items for "
            + documents.size() + " documents");
      }
      List<SendOutcome.Item> outcomes = new ArrayList<>(documents.size());
      for (BulkResponseItem r : response.items()) {
        ErrorCause error = r.error();
        if (error == null) {
          created.incrementAndGet();
          outcomes.add(SendOutcome.Item.DELIVERED);
        } else if (r.status() == 409) {
          alreadyPresent.incrementAndGet();
          outcomes.add(SendOutcome.Item.DELIVERED);
        } else if (r.status() == 400) {
          outcomes.add(new SendOutcome.Item.Reject("Elasticsearch refused the document (400 " + error.type() + "): "
              + withoutValues(error.reason()) + causes(error), detail(error)));
        } else {
          outcomes.add(new SendOutcome.Item.Retry("HTTP " + r.status() + " " + error.type() + ": "
              + withoutValues(error.reason()), Optional.empty()));
        }
      }
      return new SendOutcome.PerItem(outcomes);
    } catch (ElasticsearchException e) {
      if (e.status() == 413) {
        return tooLarge(documents);
      }
      if (refusedCredentials(e.status())) {
        return refused(e.status(), e.error() == null ? e.getMessage() : e.error().type() + ": " + e.error().reason());
      }
      ErrorCause error = e.error();
      String what = error == null ? e.getMessage() : error.type() + ": " + withoutValues(error.reason());
      return new SendOutcome.Retry("HTTP " + e.status() + " " + what, retryAfter(e.httpResponse()));
    } catch (TransportException e) {
      if (e.statusCode() == 413) {
        return tooLarge(documents);
      }
      if (refusedCredentials(e.statusCode())) {
        return refused(e.statusCode(), e.getMessage());
      }
      return new SendOutcome.Retry("HTTP " + e.statusCode() + ": " + e.getMessage(), retryAfter(e.response()));
    } catch (IOException | RuntimeException e) {
      return SendOutcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static boolean refusedCredentials(int status) {
    return status == 401 || status == 403;
  }

  /** No batch gets past refused credentials or missing privileges: the task stops with the reason. */
  private static SendOutcome refused(int status, String what) {
    return new SendOutcome.Fatal("Elasticsearch answered " + status + " (" + what + "): check the connector's auth.* "
        + "options, and that the user may create documents and index templates (or set index.template.install=false)");
  }

  /** Halves are sent on their own (the engine bisects a refused batch); one document alone is dead-lettered. */
  private static SendOutcome tooLarge(List<Document> documents) {
    String reason = "Elasticsearch refused the document as too large (413): it is bigger than the cluster's "
        + "http.max_content_length";
    if (documents.size() > 1) {
      return new SendOutcome.Reject(reason);
    }
    return new SendOutcome.PerItem(List.of(new SendOutcome.Item.Reject(reason, "413 Request Entity Too Large")));
  }

  private void prepareOnce() throws IOException {
    if (!prepared) {
      synchronized (prepareLock) {
        if (!prepared) {
          preparation.prepare();
          prepared = true;
        }
      }
    }
  }

  private static BulkRequest request(List<Document> documents) {
    List<BulkOperation> ops = new ArrayList<>(documents.size());
    for (Document item : documents) {
      ops.add(BulkOperation.of(o -> o.create(c -> c.index(item.index()).id(item.id())
          .document(BinaryData.of(item.json(), ContentType.APPLICATION_JSON)))));
    }
    return BulkRequest.of(b -> b.operations(ops));
  }

  /**
   * Elasticsearch's reason without the field value it quotes ("Preview of field's value: ..."), so
   * logs carry no document content.
   */
  static String withoutValues(String reason) {
    if (reason == null) {
      return "";
    }
    int preview = reason.indexOf("Preview of field's value");
    return preview < 0 ? reason : reason.substring(0, preview).trim();
  }

  private static String causes(ErrorCause error) {
    StringBuilder sb = new StringBuilder();
    for (ErrorCause c = error.causedBy(); c != null; c = c.causedBy()) {
      sb.append("; caused by ").append(c.type());
    }
    return sb.toString();
  }

  /** The whole reason chain, values included: it travels with the record to the dead-letter topic only. */
  private static String detail(ErrorCause error) {
    StringBuilder sb = new StringBuilder();
    for (ErrorCause c = error; c != null; c = c.causedBy()) {
      if (!sb.isEmpty()) {
        sb.append("; caused by ");
      }
      sb.append(c.type()).append(": ").append(c.reason());
    }
    return sb.toString();
  }

  private static Optional<Duration> retryAfter(TransportHttpClient.Response response) {
    return response == null ? Optional.empty() : Backoff.parseRetryAfter(response.header("Retry-After"));
  }

}
