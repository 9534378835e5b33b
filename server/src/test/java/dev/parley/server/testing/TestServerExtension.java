package dev.parley.server.testing;

import dev.parley.server.config.ParleyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** The machinery behind {@link ParleyTest}: one {@link TestServer} per top-level test class. */
public final class TestServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestServerExtension.class);
    private static final String KEY = "server";

    private record Started(TestServer server, Path dir) {}

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, IllegalAccessException {
        Started existing = find(context);
        if (existing != null) {
            inject(context.getRequiredTestClass(), existing.server());
            return; // a @Nested class: the enclosing class's server serves it too
        }
        UnaryOperator<ParleyConfig> tweak = tweak(context.getRequiredTestClass());
        Path dir = Files.createTempDirectory("parley-test-");
        try {
            context.getStore(NAMESPACE).put(KEY, new Started(TestServer.start(dir, tweak), dir));
        } catch (RuntimeException | Error e) {
            delete(dir);
            throw e;
        }
        inject(context.getRequiredTestClass(), find(context).server());
    }

    /** Fills the class's static {@code TestServer} fields, before its {@code @BeforeAll} methods run. */
    private static void inject(Class<?> testClass, TestServer server) throws IllegalAccessException {
        for (Field field : testClass.getDeclaredFields()) {
            if (field.getType() == TestServer.class && Modifier.isStatic(field.getModifiers())
                    && !Modifier.isFinal(field.getModifiers())) {
                field.setAccessible(true);
                field.set(null, server);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() only sees this level of the store: a @Nested class leaves its enclosing class's server alone.
        Started started = context.getStore(NAMESPACE).remove(KEY, Started.class);
        if (started != null) {
            try {
                started.server().close();
            } finally {
                delete(started.dir());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Started started = find(context);
        if (started == null) {
            throw new ExtensionConfigurationException("No TestServer: is the class annotated with @ParleyTest?");
        }
        return started.server();
    }

    private static Started find(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(KEY, Started.class); // looks in enclosing contexts too
    }

    private static UnaryOperator<ParleyConfig> tweak(Class<?> testClass) {
        Optional<ParleyTest> annotation = AnnotationSupport.findAnnotation(testClass, ParleyTest.class);
        String name = annotation.map(ParleyTest::config).orElse("");
        if (name.isEmpty()) {
            return c -> c;
        }
        Method method;
        try {
            method = testClass.getDeclaredMethod(name, ParleyConfig.class);
        } catch (NoSuchMethodException e) {
            throw new ExtensionConfigurationException("@ParleyTest(config = \"" + name + "\"): no method static ParleyConfig "
                    + name + "(ParleyConfig) in " + testClass.getName(), e);
        }
        if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != ParleyConfig.class) {
            throw new ExtensionConfigurationException("@ParleyTest(config = \"" + name + "\"): " + method
                    + " must be static and return ParleyConfig");
        }
        method.setAccessible(true);
        return c -> {
            try {
                return (ParleyConfig) method.invoke(null, c);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new ExtensionConfigurationException("@ParleyTest(config = \"" + name + "\") failed", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new ExtensionConfigurationException("@ParleyTest(config = \"" + name + "\") failed", e);
            }
        };
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }
}
