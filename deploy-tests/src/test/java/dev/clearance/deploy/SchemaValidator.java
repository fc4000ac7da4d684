package dev.clearance.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates objects against the Kubernetes API schema, as carried by the models of the official
 * Kubernetes Java client ({@code io.kubernetes:client-java-api}), which are generated from the
 * Kubernetes OpenAPI specification. Two passes:
 * <ol>
 *   <li>the generated {@code validateJsonElement} of the object's model: required fields,
 *       fields the schema does not define (a misspelt {@code livenessProbee} fails), and
 *       object/array/scalar shapes, recursively;</li>
 *   <li>scalar types, walking the same models: integers where the schema says integer,
 *       booleans, strings, int-or-string, quantities (parsed), base64 bytes.</li>
 * </ol>
 * An apiVersion/kind without a model here is an error, not a pass.
 */
final class SchemaValidator {

    private static final Map<String, Class<?>> MODELS = new HashMap<>();

    static {
        MODELS.put("v1/Namespace", V1Namespace.class);
        MODELS.put("v1/ServiceAccount", V1ServiceAccount.class);
        MODELS.put("v1/ConfigMap", V1ConfigMap.class);
        MODELS.put("v1/Secret", V1Secret.class);
        MODELS.put("v1/Service", V1Service.class);
        MODELS.put("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class);
        MODELS.put("apps/v1/Deployment", V1Deployment.class);
        MODELS.put("apps/v1/StatefulSet", V1StatefulSet.class);
        MODELS.put("apps/v1/DaemonSet", V1DaemonSet.class);
        MODELS.put("batch/v1/Job", V1Job.class);
        MODELS.put("batch/v1/CronJob", V1CronJob.class);
        MODELS.put("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class);
        MODELS.put("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);
        MODELS.put("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);
        MODELS.put("networking.k8s.io/v1/Ingress", V1Ingress.class);
        MODELS.put("rbac.authorization.k8s.io/v1/Role", V1Role.class);
        MODELS.put("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class);
    }

    private static final Gson GSON = new Gson();

    private SchemaValidator() {
    }

    static List<String> validate(Manifests manifests) {
        List<String> errors = new ArrayList<>();
        for (K8sObject o : manifests.all()) {
            errors.addAll(validate(o));
        }
        return errors;
    }

    static List<String> validate(K8sObject object) {
        List<String> errors = new ArrayList<>();
        String where = object.kind() + "/" + object.name();
        Class<?> model = MODELS.get(object.apiVersion() + "/" + object.kind());
        if (model == null) {
            errors.add(where + ": no schema for apiVersion " + object.apiVersion() + " kind " + object.kind());
            return errors;
        }
        if (object.name() == null || object.name().isBlank()) {
            errors.add(where + ": metadata.name is required");
        }
        JsonElement json = GSON.toJsonTree(object.body());
        try {
            Method validate = model.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, json);
        } catch (InvocationTargetException e) {
            errors.add(where + ": " + shorten(e.getCause().getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no validateJsonElement on " + model, e);
        }
        checkTypes(json, model, "", where, errors);
        return errors;
    }

    private static void checkTypes(JsonElement e, Type type, String path, String where, List<String> errors) {
        if (e == null || e.isJsonNull()) {
            return;
        }
        Class<?> raw = raw(type);
        String at = where + " " + (path.isEmpty() ? "(root)" : path);
        if (raw == String.class) {
            if (!isString(e)) {
                errors.add(at + ": expected a string, got " + e);
            }
        } else if (raw == Integer.class || raw == Long.class || raw == Short.class) {
            if (!isInteger(e)) {
                errors.add(at + ": expected an integer, got " + e);
            }
        } else if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())) {
                errors.add(at + ": expected a number, got " + e);
            }
        } else if (raw == Boolean.class) {
            if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean())) {
                errors.add(at + ": expected a boolean, got " + e);
            }
        } else if (raw == IntOrString.class) {
            if (!isString(e) && !isInteger(e)) {
                errors.add(at + ": expected an integer or a string, got " + e);
            }
        } else if (raw == Quantity.class) {
            if (!isString(e) && !(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())) {
                errors.add(at + ": expected a quantity, got " + e);
            } else {
                try {
                    Quantity.fromString(e.getAsString());
                } catch (RuntimeException bad) {
                    errors.add(at + ": not a quantity: " + e);
                }
            }
        } else if (raw == OffsetDateTime.class) {
            if (!isString(e)) {
                errors.add(at + ": expected a date-time string, got " + e);
            }
        } else if (raw == byte[].class) {
            if (!isString(e)) {
                errors.add(at + ": expected base64 bytes, got " + e);
            } else {
                try {
                    Base64.getDecoder().decode(e.getAsString());
                } catch (IllegalArgumentException bad) {
                    errors.add(at + ": not base64");
                }
            }
        } else if (List.class.isAssignableFrom(raw)) {
            if (!e.isJsonArray()) {
                errors.add(at + ": expected an array, got " + e);
                return;
            }
            Type element = typeArgument(type, 0);
            int i = 0;
            for (JsonElement item : e.getAsJsonArray()) {
                checkTypes(item, element, path + "[" + i++ + "]", where, errors);
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (!e.isJsonObject()) {
                errors.add(at + ": expected an object, got " + e);
                return;
            }
            Type value = typeArgument(type, 1);
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                checkTypes(entry.getValue(), value, path + "." + entry.getKey(), where, errors);
            }
        } else if (isModel(raw)) {
            if (!e.isJsonObject()) {
                errors.add(at + ": expected an object, got " + e);
                return;
            }
            JsonObject object = e.getAsJsonObject();
            Map<String, Field> fields = serializedFields(raw);
            for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
                Field field = fields.get(entry.getKey());
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                if (field == null) {
                    errors.add(where + " " + child + ": not a field of " + raw.getSimpleName());
                } else {
                    checkTypes(entry.getValue(), field.getGenericType(), child, where, errors);
                }
            }
        }
        // Anything else (Object: free-form in the schema) takes any value.
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static boolean isInteger(JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        try {
            new BigDecimal(p.getAsString()).longValueExact();
            return true;
        } catch (ArithmeticException | NumberFormatException notIntegral) {
            return false;
        }
    }

    private static boolean isModel(Class<?> raw) {
        try {
            Field f = raw.getField("openapiFields");
            return Modifier.isStatic(f.getModifiers());
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static final Map<Class<?>, Map<String, Field>> FIELDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Map<String, Field> serializedFields(Class<?> model) {
        return FIELDS.computeIfAbsent(model, m -> {
            Map<String, Field> byName = new HashMap<>();
            for (Field f : m.getDeclaredFields()) {
                SerializedName name = f.getAnnotation(SerializedName.class);
                if (name != null) {
                    byName.put(name.value(), f);
                }
            }
            return byName;
        });
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static String shorten(String message) {
        if (message == null) {
            return "invalid";
        }
        int json = message.indexOf(" JSON: ");
        String m = json > 0 ? message.substring(0, json) : message;
        int string = m.indexOf(" in the JSON string: ");
        m = string > 0 ? m.substring(0, string) : m;
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
