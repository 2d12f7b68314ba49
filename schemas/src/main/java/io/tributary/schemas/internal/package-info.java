/** Internal, unstable: hooks and helpers of the schemas module that no other module imports. */
package io.tributary.schemas.internal;
