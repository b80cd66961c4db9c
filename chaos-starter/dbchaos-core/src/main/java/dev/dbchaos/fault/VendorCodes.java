package dev.dbchaos.fault;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * The SQLState a vendor code stands for, as a driver on the class path maps it, for an
 * error fault that gives only a vendor code. MySQL Connector/J publishes the MySQL
 * server's table (1062 is 23000, 1213 is 40001, codes it does not list are HY000);
 * MariaDB Connector/J and PgJDBC have none, as their servers send the SQLState with every
 * error. Looked up reflectively, as no driver is a dependency of the fault engine.
 */
final class VendorCodes {

	private static final @Nullable Method MYSQL_TO_SQLSTATE = mysqlToSqlState();

	private VendorCodes() {
	}

	/**
	 * Return the SQLState of a vendor code.
	 * @param vendorCode the code
	 * @return the SQLState, or {@code null} when no driver on the class path maps codes
	 */
	static @Nullable String sqlStateOf(int vendorCode) {
		if (MYSQL_TO_SQLSTATE == null) {
			return null;
		}
		try {
			return (String) MYSQL_TO_SQLSTATE.invoke(null, vendorCode);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private static @Nullable Method mysqlToSqlState() {
		try {
			Class<?> numbers = Class.forName("com.mysql.cj.exceptions.MysqlErrorNumbers", false,
					VendorCodes.class.getClassLoader());
			return numbers.getMethod("mysqlToSqlstate", int.class);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			return null;
		}
	}

}
