package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.testkit.RecorderFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * How child JVMs get the same recorder as the parent: a {@link RecorderFactory} travels to them as
 * its class name, and each child makes its own instance with the public no-argument constructor.
 * A factory that cannot be made that way (a lambda, an anonymous or inner class) is refused with a
 * message, never silently replaced by the library's own recorder. Internal.
 */
public final class ChildRecorders {
    private ChildRecorders() {
    }

    /**
     * The class name children create {@code factory} by, or {@code null} for the library's own recorder.
     *
     * @param where what needs child JVMs, for the message (for example {@code "processes(4)"})
     * @throws IllegalArgumentException if children cannot create this factory by name
     */
    public static String nameFor(RecorderFactory factory, String where) {
        if (factory == RecorderFactory.DEFAULT) {
            return null;
        }
        Class<?> type = factory.getClass();
        String problem = null;
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass() || type.getName().contains("$$Lambda")) {
            problem = "it is a lambda, an anonymous or a local class (" + type.getName() + ")";
        } else if (!Modifier.isPublic(type.getModifiers())
                || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
            problem = type.getName() + " is not a public top-level or public static nested class";
        } else {
            try {
                Constructor<?> constructor = type.getConstructor();
                if (!Modifier.isPublic(constructor.getModifiers())) {
                    problem = type.getName() + " has no public no-argument constructor";
                }
            } catch (NoSuchMethodException e) {
                problem = type.getName() + " has no public no-argument constructor";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException(where + " runs the recorder in child JVMs, which create their own"
                    + " RecorderFactory by class name; this factory cannot be created that way: " + problem
                    + ". Make it a public class with a public no-argument constructor, or run the writers in threads.");
        }
        return type.getName();
    }

    /** Creates the factory named {@code className} (null: the library's own recorder), as a child does. */
    public static RecorderFactory byName(String className) {
        if (className == null) {
            return RecorderFactory.DEFAULT;
        }
        try {
            return (RecorderFactory) Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("cannot create the RecorderFactory " + className + ": " + e, e);
        }
    }
}
