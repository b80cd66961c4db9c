import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes the delegating base classes of dbchaos's JDBC wrappers ({@code DelegatingConnection},
 * {@code DelegatingStatement}, ...), so that the wrappers' sources hold only the methods that do
 * something. Each generated class implements every method of its {@code java.sql} interface by
 * calling the same method of its delegate with the same arguments, found by reflection over the
 * interface of the JDK that runs the build.
 * <p>
 * A method that returns a JDBC object leading back to the connection (a result set, statement,
 * connection or database metadata, or whatever {@code getObject} returns) never hands out the
 * driver's object: it passes it to a hook the wrapper implements, which returns its wrapper or
 * its owner. A method with no hook for its return type, such as {@code prepareStatement}, is left
 * abstract, so a method a future JDK adds that hands out a statement cannot compile unwrapped.
 * The {@link Wrapper} methods are left to the wrappers too: they see through them.
 * <p>
 * A single-file program, run at generate-sources by {@code dbchaos-core/pom.xml} with the JDK's
 * source launcher, so it needs no module of its own and no compile step. To run it by hand:
 * <pre>
 * java src/generator/JdbcDelegationGenerator.java target/generated-sources/jdbc-delegation
 * </pre>
 * The generated classes are {@code @NullUnmarked}: {@code java.sql} makes no nullness promises,
 * and they pass on whatever the driver takes and returns, so the {@code @NullMarked} of their
 * package does not apply to them.
 * <p>
 * The output is deterministic (methods sorted by name and parameter types), and a file is only
 * rewritten when its text changes, so that an unchanged build recompiles nothing.
 */
public class JdbcDelegationGenerator {

	private static final String PACKAGE = "dev.dbchaos.jdbc";

	// Stands for the delegate among a constructor's parameters.
	private static final String DELEGATE = "<delegate>";

	/**
	 * The hooks a generated class may call with what its delegate returned.
	 */
	enum Hook {

		RESULT_SET(ResultSet.class, "wrapResultSet", "resultSet",
				"Return what to hand out for a result set of the driver: its wrapper."),

		STATEMENT(Statement.class, "wrapStatement", "statement",
				"Return what to hand out for a statement of the driver: the wrapper that made this, or a new one."),

		CONNECTION(Connection.class, "wrapConnection", "connection",
				"Return what to hand out for the driver's connection: the wrapping connection."),

		META_DATA(DatabaseMetaData.class, "wrapMetaData", "metaData",
				"Return what to hand out for the driver's database metadata: its wrapper."),

		// getObject may return a result set (PgJDBC returns a refcursor's rows as one).
		OBJECT(Object.class, "wrapObject", "object",
				"Return what to hand out for what {@code getObject} returned: a result set's wrapper, or itself.");

		final Class<?> type;

		final String method;

		final String parameter;

		final String javadoc;

		Hook(Class<?> type, String method, String parameter, String javadoc) {
			this.type = type;
			this.method = method;
			this.parameter = parameter;
			this.javadoc = javadoc;
		}

	}

	/**
	 * One generated class: which interface it implements, what it extends, and the hooks it
	 * declares.
	 * @param type the interface
	 * @param parent the generation of the interface's super-interface, whose methods this
	 * class inherits through {@code superclass}; {@code null} for a root
	 * @param superclass the hand-written class this one extends, {@code null} for a root
	 * @param constructor the constructor's parameters, {@link #DELEGATE} for the delegate; the
	 * others are passed on to {@code superclass}
	 * @param field the field holding the delegate
	 * @param swappable whether the delegate is volatile and may be replaced (a connection's)
	 * @param hooks the hooks this class declares
	 */
	record Generation(Class<?> type, Generation parent, String superclass, List<String> constructor, String field,
			boolean swappable, List<Hook> hooks) {

		String className() {
			return "Delegating" + this.type.getSimpleName();
		}

		List<Hook> availableHooks() {
			List<Hook> available = new ArrayList<>(this.hooks);
			if (this.parent != null) {
				available.addAll(this.parent.availableHooks());
			}
			return available;
		}

	}

	private static List<Generation> generations() {
		Generation connection = new Generation(Connection.class, null, null, List.of(DELEGATE), "delegate", true,
				List.of(Hook.META_DATA));
		Generation statement = new Generation(Statement.class, null, null, List.of(DELEGATE), "delegate", false,
				List.of(Hook.RESULT_SET, Hook.CONNECTION));
		Generation prepared = new Generation(PreparedStatement.class, statement, "ChaosStatement",
				List.of("ChaosConnection connection", DELEGATE), "prepared", false, List.of());
		Generation callable = new Generation(CallableStatement.class, prepared, "ChaosPreparedStatement",
				List.of("ChaosConnection connection", DELEGATE, "String sql"), "callable", false, List.of(Hook.OBJECT));
		Generation resultSet = new Generation(ResultSet.class, null, null, List.of(DELEGATE), "delegate", false,
				List.of(Hook.STATEMENT, Hook.OBJECT));
		Generation metaData = new Generation(DatabaseMetaData.class, null, null, List.of(DELEGATE), "delegate", false,
				List.of(Hook.RESULT_SET, Hook.CONNECTION));
		return List.of(connection, statement, prepared, callable, resultSet, metaData);
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			throw new IllegalArgumentException("Usage: java JdbcDelegationGenerator.java <generated sources directory>");
		}
		Path directory = Path.of(args[0]).resolve(PACKAGE.replace('.', '/'));
		Files.createDirectories(directory);
		for (Generation generation : generations()) {
			Path file = directory.resolve(generation.className() + ".java");
			String source = new ClassWriter(generation).write();
			// Rewriting an unchanged file would make the compiler plugin recompile the module.
			if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(source)) {
				Files.writeString(file, source, StandardCharsets.UTF_8);
			}
		}
	}

	/**
	 * Return the methods a generated class implements: those of its interface, less those its
	 * superclass has from the parent interface and those of {@link Wrapper}, sorted.
	 */
	static List<Method> methodsOf(Generation generation) {
		Set<String> inherited = new TreeSet<>();
		if (generation.parent() != null) {
			for (Method method : generation.parent().type().getMethods()) {
				inherited.add(signature(method));
			}
		}
		for (Method method : Wrapper.class.getMethods()) {
			inherited.add(signature(method));
		}
		// One method per signature: the most specific declaration, whose throws clause is narrowest.
		Map<String, Method> methods = new TreeMap<>();
		for (Method method : generation.type().getMethods()) {
			if (Modifier.isStatic(method.getModifiers()) || inherited.contains(signature(method))) {
				continue;
			}
			methods.merge(signature(method), method, (one, other) -> one.getDeclaringClass()
				.isAssignableFrom(other.getDeclaringClass()) ? other : one);
		}
		List<Method> sorted = new ArrayList<>(methods.values());
		sorted.sort(Comparator.comparing(Method::getName)
			.thenComparingInt(Method::getParameterCount)
			.thenComparing(JdbcDelegationGenerator::signature));
		return sorted;
	}

	static String signature(Method method) {
		return method.getName() + Arrays.stream(method.getParameterTypes())
			.map(Class::getTypeName)
			.collect(Collectors.joining(",", "(", ")"));
	}

	/**
	 * Writes the source of one generated class.
	 */
	static final class ClassWriter {

		private final Generation generation;

		private final List<Method> methods;

		// The classes written by their simple name, imported; a name two classes share is written in full.
		private final Map<String, Class<?>> imports = new TreeMap<>();

		private final StringBuilder source = new StringBuilder();

		ClassWriter(Generation generation) {
			this.generation = generation;
			this.methods = methodsOf(generation);
			Map<String, Set<Class<?>>> bySimpleName = new HashMap<>();
			for (Class<?> type : referencedClasses()) {
				bySimpleName.computeIfAbsent(type.getSimpleName(), (name) -> new HashSet<>()).add(type);
			}
			bySimpleName.forEach((name, types) -> {
				if (types.size() == 1) {
					this.imports.put(name, types.iterator().next());
				}
			});
		}

		String write() {
			Class<?> type = this.generation.type();
			line(0, "package " + PACKAGE + ";");
			line(0, "");
			this.imports.values()
				.stream()
				.filter(ClassWriter::needsImport)
				.map(Class::getCanonicalName)
				.sorted()
				.forEach((name) -> line(0, "import " + name + ";"));
			line(0, "");
			line(0, "import org.jspecify.annotations.NullUnmarked;");
			line(0, "");
			line(0, "/**");
			if (this.generation.parent() == null) {
				line(0, " * Delegates every method of {@link " + name(type) + "} to the driver's object, with the same");
				line(0, " * arguments.");
			}
			else {
				line(0, " * Delegates every method of {@link " + name(type) + "} that {@link "
						+ name(this.generation.parent().type()) + "} does not have");
				line(0, " * to the driver's object, with the same arguments.");
			}
			line(0, " * Generated at build time by {@code src/generator/JdbcDelegationGenerator.java}: do not edit.");
			line(0, " * A method that returns a JDBC object leading back to the connection passes it to a hook,");
			line(0, " * and one with no hook for its type is left abstract, so that the wrapper decides.");
			line(0, " * <p>");
			line(0, " * Null-unmarked, in a {@code @NullMarked} package: {@code java.sql} makes no nullness");
			line(0, " * promises (a driver's {@code getString} or {@code getWarnings} may return {@code null}),");
			line(0, " * and plain delegation passes on whatever the driver takes and returns.");
			line(0, " */");
			line(0, "@NullUnmarked");
			line(0, "abstract class " + this.generation.className()
					+ ((this.generation.superclass() != null) ? " extends " + this.generation.superclass() : "")
					+ " implements " + name(type) + " {");
			line(0, "");
			writeField();
			writeConstructor();
			for (Hook hook : this.generation.hooks()) {
				writeHook(hook);
			}
			for (Method method : this.methods) {
				writeMethod(method);
			}
			line(0, "}");
			return this.source.toString();
		}

		private void writeField() {
			String declaration = name(this.generation.type()) + " " + this.generation.field() + ";";
			if (this.generation.swappable()) {
				line(1, "// Volatile and not final: the wrapper swaps in a delegate that fails every call once");
				line(1, "// the connection is lost. Read once per call.");
				line(1, "protected volatile " + declaration);
			}
			else {
				line(1, "protected final " + declaration);
			}
			line(0, "");
		}

		private void writeConstructor() {
			List<String> parameters = new ArrayList<>();
			List<String> superArguments = new ArrayList<>();
			for (String parameter : this.generation.constructor()) {
				if (parameter.equals(DELEGATE)) {
					parameters.add(name(this.generation.type()) + " delegate");
					superArguments.add("delegate");
				}
				else {
					parameters.add(parameter);
					superArguments.add(parameter.substring(parameter.lastIndexOf(' ') + 1));
				}
			}
			line(1, this.generation.className() + "(" + String.join(", ", parameters) + ") {");
			if (this.generation.superclass() != null) {
				line(2, "super(" + String.join(", ", superArguments) + ");");
			}
			line(2, "this." + this.generation.field() + " = delegate;");
			line(1, "}");
			line(0, "");
		}

		private void writeHook(Hook hook) {
			line(1, "/**");
			line(1, " * " + hook.javadoc);
			line(1, " * @param " + hook.parameter + " what the delegate returned, may be {@code null}");
			if (hook == Hook.OBJECT) {
				line(1, " * @param type the type the caller asked for");
				line(1, " * @param <T> the type the caller asked for");
			}
			line(1, " * @return what to hand out");
			line(1, " */");
			if (hook == Hook.OBJECT) {
				line(1, "protected abstract <T> T " + hook.method + "(T " + hook.parameter + ", Class<T> type);");
			}
			else {
				line(1, "protected abstract " + name(hook.type) + " " + hook.method + "(" + name(hook.type) + " "
						+ hook.parameter + ");");
			}
			line(0, "");
		}

		private void writeMethod(Method method) {
			Type[] parameterTypes = method.getGenericParameterTypes();
			List<String> parameters = new ArrayList<>();
			List<String> arguments = new ArrayList<>();
			for (int i = 0; i < parameterTypes.length; i++) {
				String parameterType = typeName(parameterTypes[i]);
				if (method.isVarArgs() && i == parameterTypes.length - 1) {
					parameterType = parameterType.substring(0, parameterType.length() - 2) + "...";
				}
				parameters.add(parameterType + " arg" + i);
				arguments.add("arg" + i);
			}
			String typeParameters = "";
			if (method.getTypeParameters().length > 0) {
				typeParameters = Arrays.stream(method.getTypeParameters())
					.map(this::typeParameter)
					.collect(Collectors.joining(", ", "<", "> "));
			}
			String exceptions = "";
			if (method.getExceptionTypes().length > 0) {
				exceptions = Arrays.stream(method.getExceptionTypes())
					.map(this::name)
					.collect(Collectors.joining(", ", " throws ", ""));
			}
			String signature = typeParameters + typeName(method.getGenericReturnType()) + " " + method.getName() + "("
					+ String.join(", ", parameters) + ")" + exceptions;
			String call = "this." + this.generation.field() + "." + method.getName() + "("
					+ String.join(", ", arguments) + ")";
			String statement = statement(method, call);
			if (statement == null) {
				line(1, "// Hands out a JDBC object, and there is no hook for its type: the wrapper implements it.");
			}
			// A deprecated member may use the deprecated method it overrides without a warning.
			if (method.isAnnotationPresent(Deprecated.class)) {
				line(1, "@Deprecated");
			}
			line(1, "@Override");
			if (statement == null) {
				line(1, "public abstract " + signature + ";");
			}
			else {
				line(1, "public " + signature + " {");
				line(2, statement);
				line(1, "}");
			}
			line(0, "");
		}

		/**
		 * Return the statement of a method's body, or {@code null} if the method hands out a
		 * JDBC object there is no hook for.
		 */
		private String statement(Method method, String call) {
			Hook kind = escapingKind(method);
			if (kind == null) {
				return (method.getReturnType() == void.class) ? call + ";" : "return " + call + ";";
			}
			if (!this.generation.availableHooks().contains(kind)) {
				return null;
			}
			if (kind == Hook.OBJECT) {
				String type = requestedType(method);
				return (type != null) ? "return " + kind.method + "(" + call + ", " + type + ");" : null;
			}
			// wrapStatement(Statement) cannot hand out a PreparedStatement.
			return (method.getReturnType() == kind.type) ? "return " + kind.method + "(" + call + ");" : null;
		}

		/**
		 * Return which kind of JDBC object a method may hand out that leads back to the
		 * connection, or {@code null} if it hands out none.
		 */
		private static Hook escapingKind(Method method) {
			Class<?> returned = method.getReturnType();
			if (returned == Object.class || method.getGenericReturnType() instanceof TypeVariable) {
				return Hook.OBJECT;
			}
			for (Hook hook : Hook.values()) {
				if (hook != Hook.OBJECT && hook.type.isAssignableFrom(returned)) {
					return hook;
				}
			}
			return null;
		}

		/**
		 * Return the expression of the type a caller asked {@code getObject} for: the argument
		 * of type {@code Class<T>} of a method returning {@code T}, {@code Object.class} for one
		 * returning {@code Object}, {@code null} if neither.
		 */
		private static String requestedType(Method method) {
			Type returned = method.getGenericReturnType();
			if (returned == Object.class) {
				return "Object.class";
			}
			Type[] parameters = method.getGenericParameterTypes();
			for (int i = 0; i < parameters.length; i++) {
				if (parameters[i] instanceof ParameterizedType parameterized && parameterized.getRawType() == Class.class
						&& parameterized.getActualTypeArguments()[0].equals(returned)) {
					return "arg" + i;
				}
			}
			return null;
		}

		private Set<Class<?>> referencedClasses() {
			Set<Class<?>> classes = new HashSet<>();
			classes.add(this.generation.type());
			if (this.generation.parent() != null) {
				classes.add(this.generation.parent().type());
			}
			for (Hook hook : this.generation.hooks()) {
				classes.add(hook.type);
			}
			for (Method method : this.methods) {
				collect(method.getGenericReturnType(), classes);
				for (Type parameter : method.getGenericParameterTypes()) {
					collect(parameter, classes);
				}
				for (TypeVariable<Method> variable : method.getTypeParameters()) {
					for (Type bound : variable.getBounds()) {
						collect(bound, classes);
					}
				}
				classes.addAll(Arrays.asList(method.getExceptionTypes()));
			}
			return classes;
		}

		private static void collect(Type type, Set<Class<?>> classes) {
			if (type instanceof Class<?> simple) {
				classes.add(simple.isArray() ? simple.getComponentType() : simple);
			}
			else if (type instanceof ParameterizedType parameterized) {
				collect(parameterized.getRawType(), classes);
				for (Type argument : parameterized.getActualTypeArguments()) {
					collect(argument, classes);
				}
			}
			else if (type instanceof GenericArrayType array) {
				collect(array.getGenericComponentType(), classes);
			}
			else if (type instanceof WildcardType wildcard) {
				for (Type bound : wildcard.getUpperBounds()) {
					collect(bound, classes);
				}
				for (Type bound : wildcard.getLowerBounds()) {
					collect(bound, classes);
				}
			}
		}

		private static boolean needsImport(Class<?> type) {
			return !type.isPrimitive() && !type.getPackageName().equals("java.lang")
					&& !type.getPackageName().equals(PACKAGE);
		}

		private String typeParameter(TypeVariable<?> variable) {
			List<String> bounds = Arrays.stream(variable.getBounds())
				.filter((bound) -> bound != Object.class)
				.map(this::typeName)
				.toList();
			return bounds.isEmpty() ? variable.getName() : variable.getName() + " extends " + String.join(" & ", bounds);
		}

		private String typeName(Type type) {
			if (type instanceof Class<?> simple) {
				return name(simple);
			}
			if (type instanceof ParameterizedType parameterized) {
				return typeName(parameterized.getRawType()) + Arrays.stream(parameterized.getActualTypeArguments())
					.map(this::typeName)
					.collect(Collectors.joining(", ", "<", ">"));
			}
			if (type instanceof GenericArrayType array) {
				return typeName(array.getGenericComponentType()) + "[]";
			}
			if (type instanceof WildcardType wildcard) {
				if (wildcard.getLowerBounds().length > 0) {
					return "? super " + typeName(wildcard.getLowerBounds()[0]);
				}
				Type upper = wildcard.getUpperBounds()[0];
				return (upper == Object.class) ? "?" : "? extends " + typeName(upper);
			}
			if (type instanceof TypeVariable<?> variable) {
				return variable.getName();
			}
			throw new IllegalArgumentException("Unexpected type " + type);
		}

		private String name(Class<?> type) {
			if (type.isArray()) {
				return name(type.getComponentType()) + "[]";
			}
			return (this.imports.get(type.getSimpleName()) == type) ? type.getSimpleName() : type.getCanonicalName();
		}

		private void line(int indent, String text) {
			this.source.append("\t".repeat(text.isEmpty() ? 0 : indent)).append(text).append('\n');
		}

	}

}
