package dev.music.common.datastore;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The db client for the services that call db over HTTP (s1, s2). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatastoreProperties.class)
public class DatastoreConfiguration {

	@Bean
	DatastoreClient datastoreClient(DatastoreProperties properties) {
		return new DatastoreClient(properties);
	}

}
