package dev.music.common.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code app_build_info{version, image_tag} 1}: which build and which image each pod runs, so a dashboard can
 * show a rollout and an alert can name the tag. {@code IMAGE_TAG} is set by the manifests (the overlays' tag).
 */
public final class BuildInfoMetric implements MeterBinder {

	private final String version;

	private final String imageTag;

	public BuildInfoMetric(String version, String imageTag) {
		this.version = version;
		this.imageTag = imageTag;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("app.build.info", () -> 1)
			.description("The build and image this process runs; always 1")
			.tags("version", this.version, "image_tag", this.imageTag)
			.register(registry);
	}

}
