package dev.music.common.web;

import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.cloud.function.context.FunctionCatalog;

/**
 * Looks business functions up by bean name in Spring Cloud Function's catalog. Routers resolve their
 * functions once, at start-up, so a misspelt name fails the start rather than a request.
 */
public final class Functions {

	private final FunctionCatalog catalog;

	public Functions(FunctionCatalog catalog) {
		this.catalog = catalog;
	}

	public <I, O> Function<I, O> function(String name) {
		Function<I, O> function = this.catalog.lookup(Function.class, name);
		if (function == null) {
			throw new IllegalStateException("No function named '" + name + "' in the function catalog");
		}
		return function;
	}

	public <O> Supplier<O> supplier(String name) {
		Supplier<O> supplier = this.catalog.lookup(Supplier.class, name);
		if (supplier == null) {
			throw new IllegalStateException("No supplier named '" + name + "' in the function catalog");
		}
		return supplier;
	}

}
