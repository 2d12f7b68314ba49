package io.tributary.alerting.internal.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * One alert instance's key: rule id, tenant and the values of the rule's {@code group_by} fields.
 * Its encoding is the key of the repartition topic (so each group lives on one partition, and the
 * groups of a rule spread over all of them) and of the group store; it is self-delimiting, so no
 * group's key is a prefix of another's and a pane key ({@code group key + pane start}) range
 * covers exactly one group.
 */
record GroupKey(String ruleId, String tenant, List<String> values) {

  GroupKey {
    values = List.copyOf(values);
  }

  byte[] encode() {
    Codec.Writer out = new Codec.Writer().writeString(ruleId).writeString(tenant).writeInt(values.size());
    values.forEach(out::writeString);
    return out.bytes();
  }

  static GroupKey decode(byte[] bytes) {
    Codec.Reader in = new Codec.Reader(bytes);
    String ruleId = in.readString();
    String tenant = in.readString();
    int n = in.readInt();
    List<String> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(in.readString());
    }
    return new GroupKey(ruleId, tenant, values);
  }

  /** The key of one pane of this group: the group key, then the pane start (big-endian, so panes sort by time). */
  static byte[] paneKey(byte[] groupKey, long paneStart) {
    byte[] key = new byte[groupKey.length + Long.BYTES];
    System.arraycopy(groupKey, 0, key, 0, groupKey.length);
    long v = Math.max(0, paneStart);
    for (int i = 0; i < Long.BYTES; i++) {
      key[groupKey.length + i] = (byte) (v >>> (56 - 8 * i));
    }
    return key;
  }

  /** The pane start of a {@link #paneKey}. */
  static long paneStart(byte[] paneKey) {
    long v = 0;
    for (int i = paneKey.length - Long.BYTES; i < paneKey.length; i++) {
      v = (v << 8) | (paneKey[i] & 0xff);
    }
    return v;
  }
}
