package dev.clearance.cli;

import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.DocumentClass;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.ListApiKeysRequest;
import dev.clearance.identity.v1.ListApiKeysResponse;
import dev.clearance.identity.v1.ListPersonsRequest;
import dev.clearance.identity.v1.ListPersonsResponse;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.RecordVerificationResponse;
import dev.clearance.identity.v1.Verification;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code person} and {@code verify}: who callers are, and the evidence behind it. */
final class IdentityCommands {

    static final List<Output.Column> PERSON_COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("DISPLAY NAME", "display_name"), new Output.Column("ORGANISATION", "organisation"),
            new Output.Column("US PERSON", "us_person_status"), new Output.Column("ASSURANCE", "assurance_level"),
            new Output.Column("SCREENING", "screening_status"));

    private IdentityCommands() {
    }

    static Timestamp time(String option, String text) {
        try {
            return ProtoFile.timestamp(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    @Command(name = "person", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
            description = "Persons: who may call models, and their derived US-person status.",
            subcommands = {PersonCommand.Create.class, PersonCommand.Get.class, PersonCommand.ListCmd.class})
    static final class PersonCommand extends Clearancectl.Group {

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a person.")
        static final class Create extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "ID", description = "lower-case letters, digits and hyphens")
            String id;
            @Option(names = "--display-name")
            String displayName = "";
            @Option(names = "--organisation", description = "id or organisations/{id}")
            String organisation;
            @Option(names = "--subject", description = "Keycloak user id (the token's sub)")
            String subject = "";

            @Override
            int run(Api api) {
                Person.Builder person = Person.newBuilder().setDisplayName(displayName).setSubject(subject);
                if (organisation != null) {
                    person.setOrganisation(Clearancectl.qualify("organisations", organisation));
                }
                var r = api.identity(token()).createPerson(CreatePersonRequest.newBuilder().setPersonId(id)
                        .setPerson(person).build());
                output().resource(output().json() ? r : r.getPerson());
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a person and their status.")
        static final class Get extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "PERSON", description = "id or persons/{id}")
            String name;

            @Override
            int run(Api api) {
                var r = api.identity(token()).getPerson(GetPersonRequest.newBuilder()
                        .setName(Clearancectl.qualify("persons", name)).build());
                output().resource(output().json() ? r : r.getPerson());
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every person.")
        static final class ListCmd extends Clearancectl.ApiCommand {
            @Override
            int run(Api api) {
                ListPersonsResponse.Builder all = ListPersonsResponse.newBuilder();
                String page = "";
                do {
                    ListPersonsResponse r = api.identity(token()).listPersons(ListPersonsRequest.newBuilder()
                            .setPageSize(100).setPageToken(page).build());
                    all.addAllPersons(r.getPersonsList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getPersonsList(), PERSON_COLUMNS);
                return ExitCodes.OK;
            }
        }
    }

    static final List<Output.Column> API_KEY_COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("PREFIX", "prefix"), new Output.Column("OWNER", "owner"),
            new Output.Column("STATE", "state"), new Output.Column("EXPIRES", "expire_time"),
            new Output.Column("LAST USED", "last_use_time"));

    @Command(name = "apikey", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
            description = "API keys: bound to a person or organisation-wide (secrets are never shown again).",
            subcommands = {ApiKeyCommand.ListCmd.class})
    static final class ApiKeyCommand extends Clearancectl.Group {

        @Command(name = "list", mixinStandardHelpOptions = true,
                description = "Lists API keys: prefix, owner, state, expiry, last use.")
        static final class ListCmd extends Clearancectl.ApiCommand {
            @Option(names = "--person", description = "only keys bound to this person (id or persons/{id})")
            String person;
            @Option(names = "--organisation",
                    description = "only this organisation's keys, organisation-wide and its members' (id or organisations/{id})")
            String organisation;
            @Option(names = "--show-revoked", description = "also revoked keys")
            boolean showRevoked;

            @Override
            int run(Api api) {
                ListApiKeysRequest.Builder request = ListApiKeysRequest.newBuilder().setShowRevoked(showRevoked)
                        .setPageSize(1000);
                if (person != null) {
                    request.setPerson(Clearancectl.qualify("persons", person));
                }
                if (organisation != null) {
                    request.setOrganisation(Clearancectl.qualify("organisations", organisation));
                }
                ListApiKeysResponse.Builder all = ListApiKeysResponse.newBuilder();
                String page = "";
                do {
                    ListApiKeysResponse r = api.identity(token()).listApiKeys(request.setPageToken(page).build());
                    all.addAllApiKeys(r.getApiKeysList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getApiKeysList(), API_KEY_COLUMNS);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Records verification evidence for a person, attested by the logged-in officer, and shows"
                    + " the recomputed status. From options or a file (-f, fields of clearance.identity.v1.Verification).",
                    "Example: clearancectl verify bogdan --citizenship PL --assurance IAL2 --document-class PASSPORT"
                            + " --issuing-country PL --evidence case-123 --reason \"passport inspected in person\""})
    static final class Verify extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "PERSON", description = "id or persons/{id}")
        String person;
        @Option(names = {"-f", "--file"}, paramLabel = "FILE")
        Path file;
        @Option(names = "--citizenship", split = ",", paramLabel = "CC[@DATE]",
                description = "ISO country, optionally with the acquire date (US@2001-05-01); repeatable")
        List<String> citizenships = List.of();
        @Option(names = "--immigration-status", paramLabel = "STATUS",
                description = "e.g. LAWFUL_PERMANENT_RESIDENT, REFUGEE, ASYLEE, STUDENT")
        String immigrationStatus;
        @Option(names = "--assurance", paramLabel = "IAL", description = "IAL1, IAL2 or IAL3")
        String assurance;
        @Option(names = "--document-class", paramLabel = "CLASS", description = "e.g. PASSPORT, PERMANENT_RESIDENT_CARD")
        String documentClass;
        @Option(names = "--issuing-country", paramLabel = "CC")
        String issuingCountry;
        @Option(names = "--evidence", paramLabel = "REF", description = "case number or report id")
        String evidence;
        @Option(names = "--verified-at", paramLabel = "TIME", description = "default: now")
        String verifiedAt;
        @Option(names = "--expires", paramLabel = "TIME")
        String expires;
        @Option(names = "--reason", required = true, description = "what was checked, e.g. \"passport inspected\"")
        String reason;

        @Override
        int run(Api api) {
            ProtoFile.Parsed<Verification> parsed = null;
            Verification.Builder v;
            if (file != null) {
                parsed = ProtoFile.read(file, Verification.getDefaultInstance(), Set.of());
                v = parsed.message().toBuilder();
            } else {
                v = Verification.newBuilder();
            }
            for (String c : citizenships) {
                String[] parts = c.split("@", 2);
                v.addCitizenships(Citizenship.newBuilder().setCountry(parts[0].strip().toUpperCase())
                        .setAcquireDate(parts.length > 1 ? parts[1].strip() : ""));
            }
            try {
                if (immigrationStatus != null) {
                    v.setImmigrationStatus(ImmigrationStatus.valueOf(
                            ProtoFile.enumValue(ImmigrationStatus.getDescriptor(), immigrationStatus)));
                }
                if (assurance != null) {
                    v.setAssuranceLevel(AssuranceLevel.valueOf(
                            ProtoFile.enumValue(AssuranceLevel.getDescriptor(), assurance)));
                }
                if (documentClass != null) {
                    v.setDocumentClass(DocumentClass.valueOf(
                            ProtoFile.enumValue(DocumentClass.getDescriptor(), documentClass)));
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage());
            }
            if (issuingCountry != null) {
                v.setIssuingCountry(issuingCountry.toUpperCase());
            }
            if (evidence != null) {
                v.setEvidenceReference(evidence);
            }
            if (verifiedAt != null) {
                v.setVerifyTime(time("--verified-at", verifiedAt));
            } else if (!v.hasVerifyTime()) {
                java.time.Instant now = context().clock().instant();
                v.setVerifyTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()));
            }
            if (expires != null) {
                v.setExpireTime(time("--expires", expires));
            }
            RecordVerificationResponse r;
            try {
                r = api.identity(token()).recordVerification(RecordVerificationRequest.newBuilder()
                        .setParent(Clearancectl.qualify("persons", person)).setVerification(v).setReason(reason)
                        .build());
            } catch (StatusRuntimeException e) {
                return ServerErrors.report(e, context().err(), parsed, "verification");
            }
            if (output().json()) {
                output().printJson(r);
            } else {
                output().line("recorded " + r.getVerification().getName());
                output().table(r, List.of(r.getPerson()), PERSON_COLUMNS);
            }
            return ExitCodes.OK;
        }
    }
}
