package dev.music.s1;

import dev.music.common.auth.AuthConfiguration;
import dev.music.common.datastore.DatastoreConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import({ AuthConfiguration.class, DatastoreConfiguration.class })
public class Application {

	public static void main(String[] args) {
		SpringApplication.run(Application.class, args);
	}

}
