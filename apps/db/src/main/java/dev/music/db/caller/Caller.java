package dev.music.db.caller;

import java.util.Optional;
import java.util.Set;

import dev.music.common.Forbidden;
import dev.music.db.item.ObjectType;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The components that may call db and what each may do: s1 only users, s2 only songs, the loader only
 * {@code /load}. A caller is the subject of its verified token, {@code system:serviceaccount:<namespace>:<name>}.
 */
public enum Caller {

	S1("s1", Set.of(ObjectType.USER),
			Set.of(Operation.READ, Operation.WRITE, Operation.UPDATE, Operation.DELETE, Operation.CREDENTIAL)),

	S2("s2", Set.of(ObjectType.MUSIC), Set.of(Operation.READ, Operation.LIST, Operation.WRITE, Operation.DELETE)),

	LOADER("loader", Set.of(ObjectType.MUSIC, ObjectType.USER), Set.of(Operation.LOAD));

	/** What a route does. */
	public enum Operation {

		READ, LIST, WRITE, UPDATE, DELETE, CREDENTIAL, LOAD

	}

	private final String account;

	private final Set<ObjectType> types;

	private final Set<Operation> operations;

	Caller(String account, Set<ObjectType> types, Set<Operation> operations) {
		this.account = account;
		this.types = types;
		this.operations = operations;
	}

	public String account() {
		return this.account;
	}

	static Optional<Caller> of(String subject, String namespace) {
		for (Caller caller : values()) {
			if (("system:serviceaccount:" + namespace + ":" + caller.account).equals(subject)) {
				return Optional.of(caller);
			}
		}
		return Optional.empty();
	}

	boolean may(Operation operation, ObjectType type) {
		return this.operations.contains(operation) && this.types.contains(type);
	}

	/** Checks the current request's caller; {@link Forbidden} when it may not do this. */
	public static void require(String namespace, Operation operation, ObjectType type) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String subject = (authentication != null) ? authentication.getName() : null;
		Optional<Caller> caller = of(subject, namespace);
		if (caller.isEmpty() || !caller.get().may(operation, type)) {
			throw new Forbidden("caller " + caller.map(Caller::account).orElse(String.valueOf(subject)) + " may not "
					+ operation.name().toLowerCase() + " " + type.wireName() + " items");
		}
	}

}
