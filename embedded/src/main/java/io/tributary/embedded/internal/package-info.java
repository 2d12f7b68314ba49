/** What the embedded servers share (free ports, their directories); public only for them, not an API. */
package io.tributary.embedded.internal;
