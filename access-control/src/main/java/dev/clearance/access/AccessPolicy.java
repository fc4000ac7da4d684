package dev.clearance.access;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One gRPC service's role table: which {@link MethodAccess} each of its methods needs, and the
 * ErrorInfo domain of its authentication and authorisation errors. A service publishes it as a CDI
 * bean; {@link AccessInterceptor} enforces it. A method missing from the table is refused, and
 * {@link #missingMethods()} lets a test fail when an RPC is added without an entry.
 */
public final class AccessPolicy {

    private final ServiceDescriptor service;
    private final String errorDomain;
    private final Map<String, MethodAccess> byFullMethodName;

    private AccessPolicy(ServiceDescriptor service, String errorDomain, Map<String, MethodAccess> byFullMethodName) {
        this.service = service;
        this.errorDomain = errorDomain;
        this.byFullMethodName = Map.copyOf(byFullMethodName);
    }

    public static Builder forService(ServiceDescriptor service, String errorDomain) {
        return new Builder(service, errorDomain);
    }

    public ServiceDescriptor service() {
        return service;
    }

    public String errorDomain() {
        return errorDomain;
    }

    /** The rule of a method, by its full name ({@code package.Service/Method}); null when it has none. */
    public MethodAccess access(String fullMethodName) {
        return byFullMethodName.get(fullMethodName);
    }

    /** Methods of the service descriptor without an entry (refused at run time). */
    public List<String> missingMethods() {
        List<String> missing = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            if (!byFullMethodName.containsKey(method.getFullMethodName())) {
                missing.add(method.getFullMethodName());
            }
        }
        return missing;
    }

    /** The table, method by method in declaration order, for documentation and tests. */
    public Map<String, MethodAccess> table() {
        Map<String, MethodAccess> ordered = new LinkedHashMap<>();
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            ordered.put(method.getBareMethodName(), byFullMethodName.get(method.getFullMethodName()));
        }
        return ordered;
    }

    public static final class Builder {
        private final ServiceDescriptor service;
        private final String errorDomain;
        private final Map<String, MethodAccess> rules = new LinkedHashMap<>();

        private Builder(ServiceDescriptor service, String errorDomain) {
            this.service = service;
            this.errorDomain = errorDomain;
        }

        public Builder method(MethodDescriptor<?, ?> method, MethodAccess access) {
            if (!method.getServiceName().equals(service.getName())) {
                throw new IllegalArgumentException(method.getFullMethodName() + " is not a method of " + service.getName());
            }
            if (rules.put(method.getFullMethodName(), access) != null) {
                throw new IllegalArgumentException(method.getFullMethodName() + " has two entries");
            }
            return this;
        }

        public Builder method(MethodDescriptor<?, ?> method, Role first, Role... more) {
            return method(method, MethodAccess.anyOf(first, more));
        }

        public AccessPolicy build() {
            return new AccessPolicy(service, errorDomain, rules);
        }
    }
}
