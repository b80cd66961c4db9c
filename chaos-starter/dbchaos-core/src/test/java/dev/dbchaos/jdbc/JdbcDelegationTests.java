package dev.dbchaos.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.dbchaos.fault.FaultRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests that the JDBC wrappers pass on every call they do not intercept: for every method
 * of every interface they implement, a wrapper over a recording {@link Proxy} calls the
 * same method of its delegate with the same arguments, and hands out what it returned, or
 * a wrapper of it for the JDBC objects that lead back to the connection. The methods the
 * wrappers implement themselves are {@linkplain #INTERCEPTED listed}, each with the
 * reason. Also that a lost connection fails every call as the driver's would, without
 * reaching it.
 */
class JdbcDelegationTests {

	private static final String SEE_THROUGH = "answers for the wrapper itself, or sees through it to the driver's object";

	private static final String ASKS_THE_ENGINE = "asks the fault engine first";

	/**
	 * Per interface, the methods the hand-written wrappers implement, with the reason;
	 * every other one is generated delegation.
	 */
	private static final Map<Class<?>, Map<String, String>> INTERCEPTED = intercepted();

	/**
	 * The methods of a lost connection that do not fail, with the reason.
	 */
	private static final Map<String, String> USABLE_WHEN_LOST = Map.of("close()",
			"closing a closed connection does nothing", "isClosed()", "answers true", "isValid(int)", "answers false",
			"abort(Executor)", "aborting a closed connection does nothing", "unwrap(Class)",
			"pools unwrap the connections they hold, open or not", "isWrapperFor(Class)",
			"pools unwrap the connections they hold, open or not");

	private static final Set<Class<?>> GENERATED = Set.of(DelegatingConnection.class, DelegatingStatement.class,
			DelegatingPreparedStatement.class, DelegatingCallableStatement.class, DelegatingResultSet.class,
			DelegatingDatabaseMetaData.class);

	private static final List<Class<?>> INTERFACES = List.of(Connection.class, Statement.class, PreparedStatement.class,
			CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	// PgJDBC's failures, as the tests' driver is PgJDBC.
	private final FaultInjector injector = new FaultInjector(this.registry, "dataSource",
			JdbcFailures.forUrl("jdbc:postgresql://localhost/chaos", null), null);

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@TestFactory
	Stream<DynamicTest> everyMethodThatIsNotInterceptedIsPassedOnWithItsArguments() {
		return methods().filter((method) -> !isIntercepted(method))
			.map((method) -> DynamicTest.dynamicTest(name(method), () -> {
				Recorder recorder = new Recorder();
				Object wrapper = wrapper(method.type(), recorder);
				assertThat(implementationOf(wrapper, method).getDeclaringClass()).as("implemented by").isIn(GENERATED);
				Object[] arguments = samples(method.method().getParameterTypes());
				Object result = invoke(wrapper, method.method(), arguments);
				assertThat(recorder.calls).hasSize(1);
				Call call = recorder.calls.get(0);
				assertThat(signature(call.method())).isEqualTo(signature(method.method()));
				assertSameValues(call.arguments(), arguments);
				if (leadsBackToTheConnection(method.method().getReturnType())) {
					assertThat(result).isNotNull().isNotSameAs(call.result());
					assertThat(result.getClass().getSimpleName()).startsWith("Chaos");
				}
				else {
					assertSameValues(new Object[] { result }, new Object[] { call.result() });
				}
			}));
	}

	@Test
	void theInterceptedMethodsAreExactlyThoseTheWrappersImplementThemselves() {
		for (Class<?> type : INTERFACES) {
			Object wrapper = wrapper(type, new Recorder());
			Set<String> handWritten = methods().filter((method) -> method.type() == type)
				.filter((method) -> !GENERATED.contains(implementationOf(wrapper, method).getDeclaringClass()))
				.map((method) -> signature(method.method()))
				.collect(Collectors.toCollection(TreeSet::new));
			assertThat(handWritten).as(type.getSimpleName()).isEqualTo(INTERCEPTED.get(type).keySet());
		}
	}

	@TestFactory
	Stream<DynamicTest> everyUseOfATerminatedConnectionFailsAsClosedWithoutReachingTheDriver() {
		return connectionMethodsThatFailWhenLost().map((method) -> DynamicTest.dynamicTest(name(method), () -> {
			Recorder recorder = new Recorder();
			ChaosConnection connection = new ChaosConnection(recording(Connection.class, recorder), this.injector,
					new OpenConnections("dataSource"));
			connection.terminate();
			assertThat(recorder.calls).extracting((call) -> call.method().getName()).containsExactly("close");
			recorder.calls.clear();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> invoke(connection, method.method(), samples(method.method().getParameterTypes())))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"))
				.satisfies((ex) -> assertClientInfoFailure(method, ex));
			assertThat(recorder.calls).isEmpty();
		}));
	}

	@Test
	void aTerminatedConnectionIsClosedAndInvalidAndClosingItAgainDoesNothing() throws SQLException {
		Recorder recorder = new Recorder();
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, recorder), this.injector,
				new OpenConnections("dataSource"));
		connection.terminate();
		assertThat(connection.isClosed()).isTrue();
		assertThat(connection.isValid(1)).isFalse();
		assertThatNoException().isThrownBy(connection::close);
		assertThat(connection.unwrap(ChaosConnection.class)).isSameAs(connection);
	}

	@TestFactory
	Stream<DynamicTest> theFirstUseAfterTheServerWentAwayFailsWithTheShutdownAndTerminatesTheConnection() {
		return connectionMethodsThatFailWhenLost().map((method) -> DynamicTest.dynamicTest(name(method), () -> {
			Recorder recorder = new Recorder();
			ChaosConnection connection = new ChaosConnection(recording(Connection.class, recorder), this.injector,
					new OpenConnections("dataSource"));
			connection.serverWentAway();
			Object[] arguments = samples(method.method().getParameterTypes());
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> invoke(connection, method.method(), arguments))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"))
				.satisfies((ex) -> assertClientInfoFailure(method, ex));
			assertThat(recorder.calls).extracting((call) -> call.method().getName()).containsExactly("close");
			assertThat(connection.isClosed()).isTrue();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> invoke(connection, method.method(), arguments))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
		}));
	}

	@Test
	void validatingAConnectionWhoseServerWentAwayFailsAndTerminatesIt() throws SQLException {
		Recorder recorder = new Recorder();
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, recorder), this.injector,
				new OpenConnections("dataSource"));
		recorder.answer("isClosed", false);
		connection.serverWentAway();
		// Until it is used, the physical connection is still open, as after a real
		// shutdown.
		assertThat(connection.isClosed()).isFalse();
		assertThat(connection.isValid(1)).isFalse();
		assertThat(connection.isClosed()).isTrue();
		assertThat(recorder.calls).extracting((call) -> call.method().getName()).containsExactly("isClosed", "close");
	}

	@Test
	void aTerminatedConnectionStopsHandingOutStatementsAndItsStatementsStopExecuting() throws SQLException {
		Recorder recorder = new Recorder();
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, recorder), this.injector,
				new OpenConnections("dataSource"));
		Recorder statementRecorder = new Recorder();
		ChaosPreparedStatement statement = new ChaosPreparedStatement(connection,
				recording(PreparedStatement.class, statementRecorder), "select 1");
		connection.terminate();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connection.prepareStatement("select 1"))
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
		assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeQuery)
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.executeUpdate("delete from t"))
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
		assertThat(statementRecorder.calls).isEmpty();
	}

	@Test
	void resultSetHandsOutTheWrappedStatementAndConnection() throws SQLException {
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, new Recorder()), this.injector,
				new OpenConnections("dataSource"));
		Recorder statementRecorder = new Recorder();
		Statement driverStatement = recording(Statement.class, statementRecorder);
		ChaosStatement statement = new ChaosStatement(connection, driverStatement);
		// The driver's result set answers getStatement() with the driver's statement.
		ResultSet driverResultSet = stub(ResultSet.class, Map.of("getStatement", driverStatement));
		statementRecorder.answer("executeQuery", driverResultSet);
		ResultSet resultSet = statement.executeQuery("select 1");
		assertThat(resultSet).isInstanceOf(ChaosResultSet.class);
		assertThat(resultSet.getStatement()).isSameAs(statement);
		assertThat(resultSet.getStatement().getConnection()).isSameAs(connection);
		assertThat(resultSet.unwrap(ResultSet.class)).isSameAs(resultSet);
	}

	@Test
	void getResultSetHandsOutOneWrapperPerResultSet() throws SQLException {
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, new Recorder()), this.injector,
				new OpenConnections("dataSource"));
		Recorder statementRecorder = new Recorder();
		ChaosStatement statement = new ChaosStatement(connection, recording(Statement.class, statementRecorder));
		statementRecorder.answer("getResultSet", stub(ResultSet.class, Map.of()));
		assertThat(statement.getResultSet()).isSameAs(statement.getResultSet());
		statementRecorder.answer("getResultSet", null);
		assertThat(statement.getResultSet()).isNull();
	}

	@Test
	void metaDataHandsOutTheWrappedConnectionAndWrapsItsResultSets() throws SQLException {
		Recorder recorder = new Recorder();
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, recorder), this.injector,
				new OpenConnections("dataSource"));
		// The driver runs metadata queries on statements of its own.
		Statement driverStatement = stub(Statement.class, Map.of());
		ResultSet tables = stub(ResultSet.class, Map.of("getStatement", driverStatement));
		recorder.answer("getMetaData", stub(DatabaseMetaData.class, Map.of("getTables", tables)));
		DatabaseMetaData metaData = connection.getMetaData();
		assertThat(metaData).isInstanceOf(ChaosDatabaseMetaData.class).isSameAs(connection.getMetaData());
		assertThat(metaData.getConnection()).isSameAs(connection);
		ResultSet resultSet = metaData.getTables(null, null, "%", null);
		assertThat(resultSet).isInstanceOf(ChaosResultSet.class);
		assertThat(resultSet.getStatement()).isInstanceOf(ChaosStatement.class).isSameAs(resultSet.getStatement());
		assertThat(resultSet.getStatement().getConnection()).isSameAs(connection);
	}

	@Test
	void statementsTheDriverMadeOnItsOwnAreWrappedAsTheirType() {
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, new Recorder()), this.injector,
				new OpenConnections("dataSource"));
		assertThat(connection.wrapStatement(stub(CallableStatement.class, Map.of())))
			.isInstanceOf(ChaosCallableStatement.class);
		assertThat(connection.wrapStatement(stub(PreparedStatement.class, Map.of())))
			.isExactlyInstanceOf(ChaosPreparedStatement.class);
		assertThat(connection.wrapStatement(stub(Statement.class, Map.of()))).isExactlyInstanceOf(ChaosStatement.class);
	}

	@Test
	void getObjectWrapsAResultSetUnlessTheCallerAskedForTheDriversClass() throws SQLException {
		ChaosConnection connection = new ChaosConnection(recording(Connection.class, new Recorder()), this.injector,
				new OpenConnections("dataSource"));
		Recorder recorder = new Recorder();
		ChaosCallableStatement call = new ChaosCallableStatement(connection,
				recording(CallableStatement.class, recorder), "{? = call cursor()}");
		ResultSet cursor = stub(ResultSet.class, Map.of());
		recorder.answer("getObject", cursor);
		assertThat(call.getObject(1)).isInstanceOf(ChaosResultSet.class);
		assertThat(call.getObject(1, ResultSet.class)).isInstanceOf(ChaosResultSet.class);
		assertThat(call.getObject(1, cursor.getClass())).isSameAs(cursor);
		recorder.answer("getObject", "text");
		assertThat(call.getObject(1)).isEqualTo("text");
	}

	private static Map<Class<?>, Map<String, String>> intercepted() {
		Map<String, String> connection = new TreeMap<>();
		reason(connection, "wraps the statement, which asks the fault engine and matches rules by its text",
				"createStatement()", "createStatement(int,int)", "createStatement(int,int,int)",
				"prepareStatement(String)", "prepareStatement(String,int)", "prepareStatement(String,int[])",
				"prepareStatement(String,String[])", "prepareStatement(String,int,int)",
				"prepareStatement(String,int,int,int)", "prepareCall(String)", "prepareCall(String,int,int)",
				"prepareCall(String,int,int,int)");
		reason(connection, ASKS_THE_ENGINE + ", and ends the transaction when that fails", "commit()", "rollback()",
				"rollback(Savepoint)");
		reason(connection, "stops tracking the connection for outages, and closes it whatever its state", "close()");
		reason(connection, "true once the connection is terminated", "isClosed()");
		reason(connection, "asks the fault engine, and is false once the server is gone", "isValid(int)");
		reason(connection, "reaches the physical connection even once it is lost", "abort(Executor)");
		reason(connection, SEE_THROUGH, "unwrap(Class)", "isWrapperFor(Class)");

		Map<String, String> statement = new TreeMap<>();
		reason(statement, ASKS_THE_ENGINE, "executeQuery(String)", "executeUpdate(String)", "executeUpdate(String,int)",
				"executeUpdate(String,int[])", "executeUpdate(String,String[])", "executeLargeUpdate(String)",
				"executeLargeUpdate(String,int)", "executeLargeUpdate(String,int[])",
				"executeLargeUpdate(String,String[])", "execute(String)", "execute(String,int)",
				"execute(String,int[])", "execute(String,String[])", "executeBatch()", "executeLargeBatch()");
		reason(statement, "remembers the batch's first statement, which rules match the batch by", "addBatch(String)",
				"clearBatch()");
		reason(statement, SEE_THROUGH, "unwrap(Class)", "isWrapperFor(Class)");

		Map<String, String> prepared = new TreeMap<>(statement);
		reason(prepared, ASKS_THE_ENGINE + ", matching rules by the prepared text", "executeQuery()", "executeUpdate()",
				"executeLargeUpdate()", "execute()");

		Map<String, String> seeThrough = new TreeMap<>();
		reason(seeThrough, SEE_THROUGH, "unwrap(Class)", "isWrapperFor(Class)");

		Map<Class<?>, Map<String, String>> intercepted = new LinkedHashMap<>();
		intercepted.put(Connection.class, connection);
		intercepted.put(Statement.class, statement);
		intercepted.put(PreparedStatement.class, prepared);
		intercepted.put(CallableStatement.class, prepared);
		Map<String, String> resultSet = new TreeMap<>(seeThrough);
		reason(resultSet, "loses the connection once a result-reset fault's rows are used up", "next()");
		intercepted.put(ResultSet.class, resultSet);
		intercepted.put(DatabaseMetaData.class, seeThrough);
		return intercepted;
	}

	private static void reason(Map<String, String> intercepted, String reason, String... signatures) {
		for (String signature : signatures) {
			intercepted.put(signature, reason);
		}
	}

	private static boolean isIntercepted(InterfaceMethod method) {
		return INTERCEPTED.get(method.type()).containsKey(signature(method.method()));
	}

	private static Stream<InterfaceMethod> methods() {
		return INTERFACES.stream()
			.flatMap((type) -> Arrays.stream(type.getMethods())
				.filter((method) -> !Modifier.isStatic(method.getModifiers()))
				.sorted(Comparator.comparing(JdbcDelegationTests::signature))
				.map((method) -> new InterfaceMethod(type, method)));
	}

	private static Stream<InterfaceMethod> connectionMethodsThatFailWhenLost() {
		return methods().filter((method) -> method.type() == Connection.class)
			.filter((method) -> !USABLE_WHEN_LOST.containsKey(signature(method.method())));
	}

	private Object wrapper(Class<?> type, Recorder recorder) {
		ChaosConnection connection = new ChaosConnection(stub(Connection.class, Map.of()), this.injector,
				new OpenConnections("dataSource"));
		ChaosStatement statement = new ChaosStatement(connection, stub(Statement.class, Map.of()));
		if (type == Connection.class) {
			return new ChaosConnection(recording(Connection.class, recorder), this.injector,
					new OpenConnections("dataSource"));
		}
		if (type == Statement.class) {
			return new ChaosStatement(connection, recording(Statement.class, recorder));
		}
		if (type == PreparedStatement.class) {
			return new ChaosPreparedStatement(connection, recording(PreparedStatement.class, recorder), "select 1");
		}
		if (type == CallableStatement.class) {
			return new ChaosCallableStatement(connection, recording(CallableStatement.class, recorder), "{call f()}");
		}
		if (type == ResultSet.class) {
			return new ChaosResultSet(connection, statement, recording(ResultSet.class, recorder), -1);
		}
		return new ChaosDatabaseMetaData(connection, recording(DatabaseMetaData.class, recorder));
	}

	private static Method implementationOf(Object wrapper, InterfaceMethod method) {
		try {
			return wrapper.getClass().getMethod(method.method().getName(), method.method().getParameterTypes());
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
		try {
			return method.invoke(target, arguments);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	/**
	 * Whether a JDBC object of the type leads back to the connection, so that the
	 * wrappers must never hand out the driver's.
	 */
	private static boolean leadsBackToTheConnection(Class<?> type) {
		return Connection.class.isAssignableFrom(type) || Statement.class.isAssignableFrom(type)
				|| ResultSet.class.isAssignableFrom(type) || DatabaseMetaData.class.isAssignableFrom(type);
	}

	/**
	 * setClientInfo declares only SQLClientInfoException, and must throw no other.
	 */
	private static void assertClientInfoFailure(InterfaceMethod method, SQLException ex) {
		if (method.method().getName().equals("setClientInfo")) {
			assertThat((Throwable) ex).isInstanceOf(SQLClientInfoException.class);
			assertThat(((SQLClientInfoException) ex).getFailedProperties()).isNotNull();
		}
	}

	/**
	 * Values a call must pass on unchanged: equal primitives, the very same objects.
	 */
	private static void assertSameValues(Object[] actual, Object[] expected) {
		assertThat(actual).hasSameSizeAs(expected);
		for (int i = 0; i < expected.length; i++) {
			if (expected[i] instanceof Number || expected[i] instanceof Boolean) {
				assertThat(actual[i]).isEqualTo(expected[i]);
			}
			else {
				assertThat(actual[i]).isSameAs(expected[i]);
			}
		}
	}

	private static String name(InterfaceMethod method) {
		return method.type().getSimpleName() + "." + signature(method.method());
	}

	private static String signature(Method method) {
		return method.getName() + Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(",", "(", ")"));
	}

	private static Object[] samples(Class<?>[] types) {
		return Arrays.stream(types).map(JdbcDelegationTests::sample).toArray();
	}

	/**
	 * Return a new value of a type, told apart from any other: the arguments a test
	 * passes, and what a recording delegate returns.
	 */
	private static Object sample(Class<?> type) {
		if (type == void.class) {
			return null;
		}
		Map<Class<?>, Object> primitives = Map.of(boolean.class, true, byte.class, (byte) 1, short.class, (short) 2,
				int.class, 3, long.class, 4L, float.class, 5.0f, double.class, 6.0);
		if (type.isPrimitive()) {
			return primitives.get(type);
		}
		if (type.isArray()) {
			return java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
		}
		if (type.isInterface()) {
			return stub(type, Map.of());
		}
		if (type.isEnum()) {
			return type.getEnumConstants()[0];
		}
		Map<Class<?>, Function<Class<?>, Object>> samples = Map.ofEntries(
				Map.entry(String.class, (ignored) -> "sample"), Map.entry(Object.class, (ignored) -> new Object()),
				Map.entry(Class.class, (ignored) -> Object.class),
				Map.entry(BigDecimal.class, (ignored) -> new BigDecimal("7")),
				Map.entry(Date.class, (ignored) -> new Date(8)), Map.entry(Time.class, (ignored) -> new Time(9)),
				Map.entry(Timestamp.class, (ignored) -> new Timestamp(10)),
				Map.entry(Calendar.class, (ignored) -> Calendar.getInstance()),
				Map.entry(Properties.class, (ignored) -> new Properties()),
				Map.entry(SQLWarning.class, (ignored) -> new SQLWarning("sample")),
				Map.entry(InputStream.class, (ignored) -> InputStream.nullInputStream()),
				Map.entry(Reader.class, (ignored) -> Reader.nullReader()), Map.entry(URL.class, (ignored) -> url()));
		Function<Class<?>, Object> sample = samples.get(type);
		if (sample == null) {
			throw new IllegalArgumentException("No sample of " + type);
		}
		return sample.apply(type);
	}

	private static URL url() {
		try {
			return URI.create("http://localhost/sample").toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static <T> T recording(Class<T> type, Recorder recorder) {
		return type.cast(
				Proxy.newProxyInstance(JdbcDelegationTests.class.getClassLoader(), new Class<?>[] { type }, recorder));
	}

	/**
	 * Return a driver object that answers the named methods as given and every other with
	 * {@code null}, zero or false.
	 */
	private static <T> T stub(Class<T> type, Map<String, Object> answers) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getDeclaringClass() == Object.class) {
				return objectMethod(proxy, method, args);
			}
			if (answers.containsKey(method.getName())) {
				return answers.get(method.getName());
			}
			return (method.getReturnType().isPrimitive() && method.getReturnType() != void.class)
					? ((method.getReturnType() == boolean.class) ? false : zero(method.getReturnType())) : null;
		};
		return type
			.cast(Proxy.newProxyInstance(JdbcDelegationTests.class.getClassLoader(), new Class<?>[] { type }, handler));
	}

	private static Object zero(Class<?> type) {
		return Map
			.<Class<?>, Object>of(byte.class, (byte) 0, short.class, (short) 0, int.class, 0, long.class, 0L,
					float.class, 0f, double.class, 0d, char.class, '\0')
			.get(type);
	}

	private static Object objectMethod(Object proxy, Method method, Object[] args) {
		return switch (method.getName()) {
			case "equals" -> proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			default -> "driver object " + Integer.toHexString(System.identityHashCode(proxy));
		};
	}

	/**
	 * A method of one of the interfaces, as the wrapper of that interface implements it.
	 */
	private record InterfaceMethod(Class<?> type, Method method) {
	}

	/**
	 * A call a recording delegate received, and what it answered.
	 */
	private record Call(Method method, Object[] arguments, Object result) {
	}

	/**
	 * Records the calls a wrapper passes on to its delegate, and answers each with a new
	 * sample of the method's return type, or with what it was told to.
	 */
	private static final class Recorder implements InvocationHandler {

		private final List<Call> calls = new ArrayList<>();

		// Answers by method name, null among them.
		private final Map<String, Object> answers = new HashMap<>();

		void answer(String methodName, Object answer) {
			this.answers.put(methodName, answer);
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) {
			if (method.getDeclaringClass() == Object.class) {
				return objectMethod(proxy, method, args);
			}
			Object result = this.answers.containsKey(method.getName()) ? this.answers.get(method.getName())
					: sample(method.getReturnType());
			this.calls.add(new Call(method, (args != null) ? args : new Object[0], result));
			return result;
		}

	}

}
