<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** Turns a failure into the sentence a staff member can act on, in their language. */
final class StaffMessages
{
    private const CODE_KEYS = [
        'unsigned' => 'error.unsigned',
        'stale_request' => 'error.staleRequest',
        'bad_signature' => 'error.badSignature',
        'replayed_request' => 'error.replayed',
        'too_many_failed_authentications' => 'error.throttled',
        'unknown_router' => 'error.unknownRouter',
        'router_not_found' => 'error.routerNotFound',
        'service_not_found' => 'error.serviceNotFound',
        'invalid_transition' => 'error.invalidTransition',
        'worker_unavailable' => 'error.workerUnavailable',
        'username_taken_on_router' => 'error.usernameTakenOnRouter',
        'username_taken' => 'error.usernameTaken',
        'credit_conflict' => 'error.creditConflict',
        'address_pool_exhausted' => 'error.poolExhausted',
    ];

    /** Request fields outside the product, by the name WHMCS shows for them. */
    private const FIELD_KEYS = [
        'password' => 'field.password',
        'username' => 'field.username',
        'billingCycle' => 'field.billingCycle',
        'clientEmail' => 'field.clientEmail',
        'nextDueDate' => 'field.nextDueDate',
        'cycleAnchor' => 'field.cycleAnchor',
        'gb' => 'field.gb',
        'routerId' => 'field.routerId',
    ];

    public function __construct(private readonly Translator $translator)
    {
    }

    /** @param array<string, string|int> $context values a message may name, such as serviceId */
    public function explain(\Throwable $problem, array $context = []): string
    {
        $t = $this->translator;
        if ($problem instanceof ModuleProblem) {
            return $t->text($problem->key, $problem->values);
        }
        if ($problem instanceof TransportFailure) {
            return $t->text('error.unreachable', ['url' => $problem->url, 'error' => $problem->getMessage()]);
        }
        if (!$problem instanceof ApiError) {
            return $t->text('error.unexpected', ['message' => $problem->getMessage()]);
        }
        $details = is_array($problem->details) ? $problem->details : [];
        if ($problem->errorCode === 'invalid_request') {
            return $t->text('error.invalidRequest', ['problems' => $this->fieldProblems($details, $problem->getMessage())]);
        }
        if ($problem->errorCode === 'bad_response') {
            return $t->text('error.badResponse', ['status' => $problem->status, 'body' => $problem->getMessage()]);
        }
        $key = self::CODE_KEYS[$problem->errorCode] ?? null;
        if ($key === null) {
            return $t->text('error.http', ['status' => $problem->status, 'code' => $problem->errorCode, 'message' => $problem->getMessage()]);
        }
        $fromDetails = array_filter([
            'username' => (string) ($details['username'] ?? ''),
            'routerName' => (string) ($details['routerName'] ?? ''),
            'routerId' => (string) ($details['routerId'] ?? ''),
        ], static fn (string $value) => $value !== '');
        $values = array_merge(
            ['serviceId' => '', 'routerId' => '', 'routerName' => '', 'username' => ''],
            $context,
            $fromDetails,
            ['message' => $problem->getMessage(), 'reason' => $problem->getMessage()],
        );
        return $t->text($key, $values);
    }

    /** @param array<mixed> $details `[{field, message}]` as vpnflow sends them */
    private function fieldProblems(array $details, string $fallback): string
    {
        $problems = [];
        foreach ($details as $detail) {
            if (!is_array($detail)) {
                continue;
            }
            $field = (string) ($detail['field'] ?? '');
            $name = ProductSettings::settingName($field)
                ?? (isset(self::FIELD_KEYS[$field]) ? $this->translator->text(self::FIELD_KEYS[$field]) : $field);
            $problems[] = "$name: " . (string) ($detail['message'] ?? '');
        }
        return $problems === [] ? $fallback : implode('; ', $problems);
    }
}
