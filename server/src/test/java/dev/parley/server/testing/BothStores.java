package dev.parley.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A suite the build runs twice: on the embedded SQLite store, and again on PostgreSQL (the
 * {@code postgres-store} Surefire execution sets {@code parley.test.store=postgres}, see
 * {@link TestStores}). Only for suites whose servers and fixtures get their store through
 * {@link TestServer} or {@link TestStores}; suites about SQLite itself (the file's modes, the
 * data-dir lock, its journal) stay single.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(TestStores.BOTH)
public @interface BothStores {
}
