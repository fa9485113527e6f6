package dev.music.common.web;

import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;

/**
 * Looks business functions up by bean name in Spring Cloud Function's catalog. Routers resolve their
 * functions once, at start-up, so a misspelt name fails the start rather than a request.
 * <p>
 * A request calls the function bean itself, not the catalog's invocation wrapper around it. The wrapper
 * guesses the content type of plain values: it parses every {@code String} input as JSON to find out whether
 * it is a collection, which threw and caught two {@code StreamReadException}s per song or user read. The
 * routers already hand the functions typed values, so there is nothing to convert (system-tests'
 * {@code HotPathTests} fails when a request throws).
 */
public final class Functions {

	private final FunctionCatalog catalog;

	public Functions(FunctionCatalog catalog) {
		this.catalog = catalog;
	}

	@SuppressWarnings("unchecked")
	public <I, O> Function<I, O> function(String name) {
		Function<I, O> function = this.catalog.lookup(Function.class, name);
		if (function == null) {
			throw new IllegalStateException("No function named '" + name + "' in the function catalog");
		}
		return (Function<I, O>) target(function);
	}

	@SuppressWarnings("unchecked")
	public <O> Supplier<O> supplier(String name) {
		Supplier<O> supplier = this.catalog.lookup(Supplier.class, name);
		if (supplier == null) {
			throw new IllegalStateException("No supplier named '" + name + "' in the function catalog");
		}
		return (Supplier<O>) target(supplier);
	}

	/** The bean the catalog wraps, when it wraps one. */
	private static Object target(Object looked) {
		if (looked instanceof FunctionInvocationWrapper wrapper && !wrapper.isComposed()) {
			return wrapper.getTarget();
		}
		return looked;
	}

}
