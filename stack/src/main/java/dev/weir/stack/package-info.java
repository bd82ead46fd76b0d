/**
 * The local embedded stack: a real single-node KRaft Kafka broker running in-process
 * ({@link dev.weir.stack.LocalKafkaBroker}) and a real Confluent-compatible schema registry (Apicurio, in a
 * child process, {@link dev.weir.stack.LocalSchemaRegistry}), combined by {@link dev.weir.stack.LocalStack}
 * under one work directory so that {@code ./weir stack}, {@code ./weir demo} and the integration tests run
 * against the real things. Implementation details live in {@code dev.weir.stack.internals}.
 */
package dev.weir.stack;
