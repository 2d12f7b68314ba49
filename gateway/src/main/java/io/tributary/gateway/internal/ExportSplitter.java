package io.tributary.gateway.internal;

import static io.tributary.gateway.internal.WireScanner.LENGTH_DELIMITED;

import com.google.protobuf.Descriptors.Descriptor;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Splits an OTLP {@code Export*ServiceRequest} into Kafka records by walking its wire format, without
 * building message objects. The three OTLP signals share one shape:
 *
 * <pre>
 * request  { repeated Resource* resource_* = 1; }
 * Resource* { resource = 1; repeated Scope* scope_* = 2; schema_url = 3; }
 * Scope*    { scope = 1;    repeated Item items = 2;      schema_url = 3; }
 * </pre>
 *
 * <p>Every byte is validated as protobuf-java would (see {@link MessageSchema}); each item is inspected
 * for its key and validity ({@link ItemInspector}). Accepted items are grouped by key in order of first
 * appearance; each group becomes a request of its own in which the original resource and scope fields
 * and the items' bytes are copied verbatim, under their original resource and scope, in protobuf's
 * canonical field order (a record re-serialized by protobuf-java is byte-identical). A group larger
 * than the record limit is cut into several records with the same key.
 */
final class ExportSplitter {

  private static final byte FIELD_1_LENGTH_DELIMITED = (1 << 3) | LENGTH_DELIMITED;
  private static final byte FIELD_2_LENGTH_DELIMITED = (2 << 3) | LENGTH_DELIMITED;
  /** Tag byte plus the largest length varint a nested message adds. */
  private static final int NESTING_OVERHEAD = 6;
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final MessageSchema requestSchema;
  private final MessageSchema resourceSchema;
  private final MessageSchema scopeSchema;
  private final MessageSchema itemSchema;
  private final Supplier<ItemInspector> inspectors;
  private final int maxRecordBytes;

  ExportSplitter(Descriptor requestDescriptor, Supplier<ItemInspector> inspectors, int maxRecordBytes) {
    this.requestSchema = MessageSchema.of(requestDescriptor);
    this.resourceSchema = requestSchema.child(1);
    this.scopeSchema = resourceSchema.child(2);
    this.itemSchema = scopeSchema.child(2);
    this.inspectors = inspectors;
    this.maxRecordBytes = maxRecordBytes;
  }

  SplitResult split(byte[] buf) throws MalformedRequestException {
    return split(buf, 0, buf.length);
  }

  SplitResult split(byte[] buf, int offset, int length) throws MalformedRequestException {
    Split split = new Split(buf, inspectors.get());
    split.parseRequest(offset, offset + length);
    return split.finish(offset, length);
  }

  /** The state of one split: flat int arrays indexed by resource, scope, item and group. */
  private final class Split {
    private final byte[] buf;
    private final WireScanner in;
    private final ItemInspector inspector;

    // Complete fields (tag and value) of resources and scopes other than their children, kept verbatim.
    private int rangeCount;
    private int[] rangeStart = new int[16];
    private int[] rangeEnd = new int[16];
    /** Fields numbered after the children go after them, keeping protobuf's canonical field order. */
    private boolean[] rangeAfterChildren = new boolean[16];

    private int resourceCount;
    private int[] resourceFirstRange = new int[4];
    private int[] resourceRangeCount = new int[4];
    private int[] resourceOtherBytes = new int[4];

    private int scopeCount;
    private int[] scopeResource = new int[8];
    private int[] scopeFirstRange = new int[8];
    private int[] scopeRangeCount = new int[8];
    private int[] scopeOtherBytes = new int[8];

    private int itemCount;
    private int[] itemStart = new int[64];
    private int[] itemEnd = new int[64];
    private int[] itemScope = new int[64];
    private int[] itemPoints = new int[64];
    private long[] itemKeyHi = new long[64];
    private long[] itemKeyLo = new long[64];
    private boolean[] itemTraceKey = new boolean[64];
    private RejectReason[] itemReason = new RejectReason[64];
    private int[] itemNext;

    private int groupCount;
    private long[] groupHi;
    private long[] groupLo;
    private boolean[] groupTraceKey;
    private int[] groupHead;
    private int[] groupTail;
    private int[] table;

    private int[] scopeChildStart = new int[4];
    private int[] scopeChildEnd = new int[4];

    Split(byte[] buf, ItemInspector inspector) {
      this.buf = buf;
      this.in = new WireScanner(buf, 0);
      this.inspector = inspector;
    }

    void parseRequest(int start, int end) throws MalformedRequestException {
      in.pos = start;
      while (in.pos < end) {
        int tag = in.readTag(end);
        if (tag == FIELD_1_LENGTH_DELIMITED) {
          int length = in.readLength(end);
          int valueStart = in.pos;
          parseResource(valueStart, valueStart + length);
          in.pos = valueStart + length;
        } else {
          requestSchema.validateField(in, tag >>> 3, tag & 7, end, 1);
        }
      }
    }

    private void parseResource(int start, int end) throws MalformedRequestException {
      int resource = newResource();
      int firstRange = rangeCount;
      int otherBytes = 0;
      long hash = OtlpRecordKeys.hashStart();
      int children = 0;
      in.pos = start;
      // First the resource's own fields, so the resource hash is known before its items are inspected.
      while (in.pos < end) {
        int fieldStart = in.pos;
        int tag = in.readTag(end);
        if (tag == FIELD_2_LENGTH_DELIMITED) {
          int length = in.readLength(end);
          if (children == scopeChildStart.length) {
            scopeChildStart = Arrays.copyOf(scopeChildStart, children * 2);
            scopeChildEnd = Arrays.copyOf(scopeChildEnd, children * 2);
          }
          scopeChildStart[children] = in.pos;
          scopeChildEnd[children++] = in.pos + length;
          in.pos += length;
        } else {
          resourceSchema.validateField(in, tag >>> 3, tag & 7, end, 2);
          addRange(fieldStart, in.pos, (tag >>> 3) > 2);
          otherBytes += in.pos - fieldStart;
          if (tag == FIELD_1_LENGTH_DELIMITED && inspector.needsResourceHash()) {
            hash = OtlpRecordKeys.hash(hash, buf, fieldStart, in.pos); // the resource field, as OtlpRecordKeys says
          }
        }
      }
      resourceFirstRange[resource] = firstRange;
      resourceRangeCount[resource] = rangeCount - firstRange;
      resourceOtherBytes[resource] = otherBytes;
      for (int i = 0; i < children; i++) {
        parseScope(resource, hash, scopeChildStart[i], scopeChildEnd[i]);
      }
    }

    private void parseScope(int resource, long resourceHash, int start, int end) throws MalformedRequestException {
      int scope = newScope(resource);
      int firstRange = rangeCount;
      int otherBytes = 0;
      in.pos = start;
      while (in.pos < end) {
        int fieldStart = in.pos;
        int tag = in.readTag(end);
        if (tag == FIELD_2_LENGTH_DELIMITED) {
          int length = in.readLength(end);
          int itemStartPos = in.pos;
          inspectItem(scope, resourceHash, itemStartPos, itemStartPos + length);
          in.pos = itemStartPos + length;
        } else {
          scopeSchema.validateField(in, tag >>> 3, tag & 7, end, 3);
          addRange(fieldStart, in.pos, (tag >>> 3) > 2);
          otherBytes += in.pos - fieldStart;
        }
      }
      scopeFirstRange[scope] = firstRange;
      scopeRangeCount[scope] = rangeCount - firstRange;
      scopeOtherBytes[scope] = otherBytes;
    }

    private void inspectItem(int scope, long resourceHash, int start, int end) throws MalformedRequestException {
      inspector.begin();
      in.pos = start;
      while (in.pos < end) {
        int tag = in.readTag(end);
        int number = tag >>> 3;
        if ((tag & 7) == LENGTH_DELIMITED) {
          int length = in.readLength(end);
          int valueStart = in.pos;
          int valueEnd = valueStart + length;
          itemSchema.validateLengthDelimited(in, number, valueEnd, 4);
          in.pos = valueEnd;
          inspector.field(number, buf, valueStart, valueEnd);
        } else {
          itemSchema.validateField(in, number, tag & 7, end, 4);
        }
      }
      RejectReason reason = inspector.finish(resourceHash);
      int item = newItem();
      itemStart[item] = start;
      itemEnd[item] = end;
      itemScope[item] = scope;
      itemPoints[item] = inspector.points;
      itemReason[item] = reason;
      if (reason == null) {
        itemKeyHi[item] = inspector.keyHi;
        itemKeyLo[item] = inspector.keyLo;
        itemTraceKey[item] = inspector.traceKey;
      }
    }

    SplitResult finish(int offset, int length) {
      Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
      long accepted = 0;
      groupHi = new long[8];
      groupLo = new long[8];
      groupTraceKey = new boolean[8];
      groupHead = new int[8];
      groupTail = new int[8];
      table = new int[16];
      itemNext = new int[Math.max(itemCount, 1)];
      for (int item = 0; item < itemCount; item++) {
        RejectReason reason = itemReason[item];
        if (reason == null && largestCost(item) > maxRecordBytes) {
          reason = RejectReason.TOO_LARGE;
        }
        if (reason != null) {
          rejected.merge(reason, (long) itemPoints[item], Long::sum);
          continue;
        }
        accepted += itemPoints[item];
        int group = findOrAddGroup(itemKeyHi[item], itemKeyLo[item], itemTraceKey[item]);
        itemNext[item] = -1;
        if (groupHead[group] < 0) {
          groupHead[group] = item;
        } else {
          itemNext[groupTail[group]] = item;
        }
        groupTail[group] = item;
      }
      if (groupCount == 0) {
        return new SplitResult(0, new byte[0][], new byte[0][], accepted, rejected);
      }
      if (groupCount == 1 && rejected.isEmpty() && length <= maxRecordBytes) {
        // The whole request is one group: write it as it came.
        byte[] value = offset == 0 && length == buf.length ? buf : Arrays.copyOfRange(buf, offset, offset + length);
        return new SplitResult(1, new byte[][] {key(0)}, new byte[][] {value}, accepted, rejected);
      }
      Records records = new Records(groupCount);
      int[] items = new int[16];
      for (int group = 0; group < groupCount; group++) {
        int n = 0;
        for (int item = groupHead[group]; item >= 0; item = itemNext[item]) {
          if (n == items.length) {
            items = Arrays.copyOf(items, n * 2);
          }
          items[n++] = item;
        }
        writeGroup(key(group), items, n, records);
      }
      return new SplitResult(records.count, records.keys, records.values, accepted, rejected);
    }

    /** An upper bound of the bytes an item takes in a record of its own. */
    private long largestCost(int item) {
      return cost(item, true, true);
    }

    private long cost(int item, boolean newScope, boolean newResource) {
      int scope = itemScope[item];
      long cost = (itemEnd[item] - itemStart[item]) + NESTING_OVERHEAD;
      if (newScope) {
        cost += scopeOtherBytes[scope] + NESTING_OVERHEAD;
      }
      if (newResource) {
        cost += resourceOtherBytes[scopeResource[scope]] + NESTING_OVERHEAD;
      }
      return cost;
    }

    /** Writes one group as one record, or as several when it exceeds the record limit. */
    private void writeGroup(byte[] key, int[] items, int n, Records records) {
      int chunkStart = 0;
      long estimate = 0;
      int previousScope = -1;
      int previousResource = -1;
      for (int k = 0; k < n; k++) {
        int item = items[k];
        int scope = itemScope[item];
        int resource = scopeResource[scope];
        long cost = cost(item, scope != previousScope, resource != previousResource);
        if (k > chunkStart && estimate + cost > maxRecordBytes) {
          records.add(key, write(items, chunkStart, k));
          chunkStart = k;
          estimate = 0;
          cost = cost(item, true, true);
        }
        estimate += cost;
        previousScope = scope;
        previousResource = resource;
      }
      records.add(key, write(items, chunkStart, n));
    }

    /** One request holding {@code items[from, to)} under their resources and scopes, sized exactly. */
    private byte[] write(int[] items, int from, int to) {
      // Pass 1: the size of every scope run and resource run, for the length prefixes.
      int[] scopeSizes = new int[to - from];
      int[] resourceSizes = new int[to - from];
      int scopeRuns = 0;
      int resourceRuns = 0;
      int total = 0;
      int k = from;
      while (k < to) {
        int resource = scopeResource[itemScope[items[k]]];
        int resourceBody = resourceOtherBytes[resource];
        while (k < to && scopeResource[itemScope[items[k]]] == resource) {
          int scope = itemScope[items[k]];
          int scopeBody = scopeOtherBytes[scope];
          while (k < to && itemScope[items[k]] == scope) {
            int itemLength = itemEnd[items[k]] - itemStart[items[k]];
            scopeBody += 1 + WireScanner.varintSize(itemLength) + itemLength;
            k++;
          }
          scopeSizes[scopeRuns++] = scopeBody;
          resourceBody += 1 + WireScanner.varintSize(scopeBody) + scopeBody;
        }
        resourceSizes[resourceRuns++] = resourceBody;
        total += 1 + WireScanner.varintSize(resourceBody) + resourceBody;
      }
      // Pass 2: copy.
      byte[] out = new byte[total];
      int p = 0;
      scopeRuns = 0;
      resourceRuns = 0;
      k = from;
      while (k < to) {
        int resource = scopeResource[itemScope[items[k]]];
        out[p++] = FIELD_1_LENGTH_DELIMITED;
        p = WireScanner.writeVarint(out, p, resourceSizes[resourceRuns++]);
        p = copyRanges(out, p, resourceFirstRange[resource], resourceRangeCount[resource], false);
        while (k < to && scopeResource[itemScope[items[k]]] == resource) {
          int scope = itemScope[items[k]];
          out[p++] = FIELD_2_LENGTH_DELIMITED;
          p = WireScanner.writeVarint(out, p, scopeSizes[scopeRuns++]);
          p = copyRanges(out, p, scopeFirstRange[scope], scopeRangeCount[scope], false);
          while (k < to && itemScope[items[k]] == scope) {
            int item = items[k++];
            int itemLength = itemEnd[item] - itemStart[item];
            out[p++] = FIELD_2_LENGTH_DELIMITED;
            p = WireScanner.writeVarint(out, p, itemLength);
            System.arraycopy(buf, itemStart[item], out, p, itemLength);
            p += itemLength;
          }
          p = copyRanges(out, p, scopeFirstRange[scope], scopeRangeCount[scope], true);
        }
        p = copyRanges(out, p, resourceFirstRange[resource], resourceRangeCount[resource], true);
      }
      if (p != total) {
        throw new IllegalStateException("split size mismatch: wrote " + p + " of " + total + " bytes");
      }
      return out;
    }

    private int copyRanges(byte[] out, int p, int first, int count, boolean afterChildren) {
      for (int r = first; r < first + count; r++) {
        if (rangeAfterChildren[r] != afterChildren) {
          continue;
        }
        int length = rangeEnd[r] - rangeStart[r];
        System.arraycopy(buf, rangeStart[r], out, p, length);
        p += length;
      }
      return p;
    }

    private byte[] key(int group) {
      if (groupTraceKey[group]) {
        byte[] key = new byte[32];
        writeHex(key, 0, groupHi[group]);
        writeHex(key, 16, groupLo[group]);
        return key;
      }
      byte[] key = new byte[16];
      writeHex(key, 0, groupHi[group]);
      return key;
    }

    private int findOrAddGroup(long hi, long lo, boolean traceKey) {
      int mask = table.length - 1;
      long mixed = (hi ^ Long.rotateLeft(lo, 29)) * 0x9E3779B97F4A7C15L;
      int slot = (int) (mixed >>> 40) & mask;
      while (true) {
        int entry = table[slot];
        if (entry == 0) {
          int group = newGroup(hi, lo, traceKey);
          table[slot] = group + 1;
          if (groupCount * 2 > table.length) {
            rehash();
          }
          return group;
        }
        int group = entry - 1;
        if (groupHi[group] == hi && groupLo[group] == lo && groupTraceKey[group] == traceKey) {
          return group;
        }
        slot = (slot + 1) & mask;
      }
    }

    private void rehash() {
      table = new int[table.length * 2];
      int mask = table.length - 1;
      for (int group = 0; group < groupCount; group++) {
        long mixed = (groupHi[group] ^ Long.rotateLeft(groupLo[group], 29)) * 0x9E3779B97F4A7C15L;
        int slot = (int) (mixed >>> 40) & mask;
        while (table[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot] = group + 1;
      }
    }

    private int newGroup(long hi, long lo, boolean traceKey) {
      if (groupCount == groupHi.length) {
        int size = groupCount * 2;
        groupHi = Arrays.copyOf(groupHi, size);
        groupLo = Arrays.copyOf(groupLo, size);
        groupTraceKey = Arrays.copyOf(groupTraceKey, size);
        groupHead = Arrays.copyOf(groupHead, size);
        groupTail = Arrays.copyOf(groupTail, size);
      }
      int group = groupCount++;
      groupHi[group] = hi;
      groupLo[group] = lo;
      groupTraceKey[group] = traceKey;
      groupHead[group] = -1;
      groupTail[group] = -1;
      return group;
    }

    private void addRange(int start, int end, boolean afterChildren) {
      if (rangeCount == rangeStart.length) {
        rangeStart = Arrays.copyOf(rangeStart, rangeCount * 2);
        rangeEnd = Arrays.copyOf(rangeEnd, rangeCount * 2);
        rangeAfterChildren = Arrays.copyOf(rangeAfterChildren, rangeCount * 2);
      }
      rangeStart[rangeCount] = start;
      rangeEnd[rangeCount] = end;
      rangeAfterChildren[rangeCount++] = afterChildren;
    }

    private int newResource() {
      if (resourceCount == resourceFirstRange.length) {
        int size = resourceCount * 2;
        resourceFirstRange = Arrays.copyOf(resourceFirstRange, size);
        resourceRangeCount = Arrays.copyOf(resourceRangeCount, size);
        resourceOtherBytes = Arrays.copyOf(resourceOtherBytes, size);
      }
      return resourceCount++;
    }

    private int newScope(int resource) {
      if (scopeCount == scopeResource.length) {
        int size = scopeCount * 2;
        scopeResource = Arrays.copyOf(scopeResource, size);
        scopeFirstRange = Arrays.copyOf(scopeFirstRange, size);
        scopeRangeCount = Arrays.copyOf(scopeRangeCount, size);
        scopeOtherBytes = Arrays.copyOf(scopeOtherBytes, size);
      }
      scopeResource[scopeCount] = resource;
      return scopeCount++;
    }

    private int newItem() {
      if (itemCount == itemStart.length) {
        int size = itemCount * 2;
        itemStart = Arrays.copyOf(itemStart, size);
        itemEnd = Arrays.copyOf(itemEnd, size);
        itemScope = Arrays.copyOf(itemScope, size);
        itemPoints = Arrays.copyOf(itemPoints, size);
        itemKeyHi = Arrays.copyOf(itemKeyHi, size);
        itemKeyLo = Arrays.copyOf(itemKeyLo, size);
        itemTraceKey = Arrays.copyOf(itemTraceKey, size);
        itemReason = Arrays.copyOf(itemReason, size);
      }
      return itemCount++;
    }
  }

  private static void writeHex(byte[] out, int p, long value) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      out[p++] = HEX[(int) (value >>> shift) & 0xf];
    }
  }

  /** The records of one split, grown as groups are cut into chunks. */
  private static final class Records {
    int count;
    byte[][] keys;
    byte[][] values;

    Records(int expected) {
      keys = new byte[expected][];
      values = new byte[expected][];
    }

    void add(byte[] key, byte[] value) {
      if (count == keys.length) {
        keys = Arrays.copyOf(keys, count * 2);
        values = Arrays.copyOf(values, count * 2);
      }
      keys[count] = key;
      values[count++] = value;
    }
  }
}
