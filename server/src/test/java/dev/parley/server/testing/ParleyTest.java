package dev.parley.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One {@link TestServer} for the whole test class, in its own temporary data directory, started
 * before the class's {@code @BeforeAll} methods and closed (directory deleted) after its
 * {@code @AfterAll} methods. Declare a {@code TestServer} parameter on a constructor, a
 * {@code @BeforeAll}/{@code @BeforeEach} method or a test method to get it, or a non-final
 * {@code static TestServer} field, which is assigned before the {@code @BeforeAll} methods run.
 * {@code @Nested} classes share the enclosing class's server.
 *
 * <p>To change the configuration, name a static method of the test class that takes and
 * returns a {@code ParleyConfig}; it is applied like {@link TestServer#start(java.nio.file.Path,
 * java.util.function.UnaryOperator)}'s tweak:
 *
 * <pre>{@code
 * @ParleyTest(config = "fastRates")
 * class SomeTest {
 *     static ParleyConfig fastRates(ParleyConfig c) {
 *         return c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate());
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TestServerExtension.class)
public @interface ParleyTest {
    /** Name of a static {@code ParleyConfig name(ParleyConfig)} method of the test class; empty for defaults. */
    String config() default "";
}
