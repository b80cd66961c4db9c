package dev.dbchaos.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DataSourcePools}.
 */
class DataSourcePoolsTests {

	@Test
	void namesEachPoolByItsClassOrASupertype() {
		assertThat(DataSourcePools.poolOf(HikariDataSource.class)).isEqualTo("hikari");
		assertThat(DataSourcePools.poolOf(org.apache.tomcat.jdbc.pool.DataSource.class)).isEqualTo("tomcat-jdbc");
		assertThat(DataSourcePools.poolOf(BasicDataSource.class)).isEqualTo("dbcp2");
		assertThat(DataSourcePools.poolOf(OwnBasicDataSource.class)).isEqualTo("dbcp2");
	}

	@Test
	void dataSourcesThatOpenAPhysicalConnectionOnEveryCallHaveNoPool() {
		assertThat(DataSourcePools.poolOf(DriverManagerDataSource.class)).isEqualTo("none");
		assertThat(DataSourcePools.poolOf(SimpleDriverDataSource.class)).isEqualTo("none");
		assertThat(DataSourcePools.isUnpooled(SimpleDriverDataSource.class)).isTrue();
	}

	@Test
	void aSingleConnectionDataSourceKeepsItsConnectionSoItIsNamedByItsClass() {
		assertThat(DataSourcePools.poolOf(SingleConnectionDataSource.class))
			.isEqualTo(SingleConnectionDataSource.class.getName());
		assertThat(DataSourcePools.isUnpooled(SingleConnectionDataSource.class)).isFalse();
		assertThat(DataSourcePools.isUnpooled(HikariDataSource.class)).isFalse();
	}

	static class OwnBasicDataSource extends BasicDataSource {

	}

}
