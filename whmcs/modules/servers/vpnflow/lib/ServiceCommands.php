<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The module functions that change a service, each answering 'success' or a message for staff.
 * A traffic addon attached to this module (`$params['addonId']`) reaches the same functions: its
 * create credits its paid invoice line, and everything else leaves the parent service alone.
 */
final class ServiceCommands
{
    /** WHMCS's reason when cron suspends an overdue service; anything else is a staff decision. */
    private const OVERDUE_REASON = 'Overdue on Payment';

    /** @param array<string, mixed> $params */
    private function __construct(
        private readonly array $params,
        private readonly int $serviceId,
        private readonly ?int $addonId,
    ) {
    }

    /** @param array<string, mixed> $params */
    public static function fromParams(array $params): self
    {
        $addonId = (int) ($params['addonId'] ?? 0);
        return new self($params, (int) ($params['serviceid'] ?? 0), $addonId > 0 ? $addonId : null);
    }

    public function create(): string
    {
        if ($this->addonId !== null) {
            return (new TrafficCredits())->creditAddon($this->addonId);
        }
        return $this->attempt('CreateAccount', function () {
            $service = WhmcsService::find($this->serviceId);
            $body = [
                'serviceId' => $this->serviceId,
                'clientId' => (int) ($this->params['userid'] ?? 0),
                'clientEmail' => (string) ($this->params['clientsdetails']['email'] ?? ''),
                'routerId' => $this->server()->routerId(),
                'username' => trim((string) ($this->params['username'] ?? '')) ?: null,
                'password' => (string) ($this->params['password'] ?? ''),
                'product' => $this->product(),
                'billingCycle' => $service->billingCycle,
            ];
            $language = trim((string) ($this->params['clientsdetails']['language'] ?? ''));
            if ($language !== '') {
                $body['clientLanguage'] = $language;
            }
            if ($service->regDate !== null) {
                $body['cycleAnchor'] = $service->regDate;
            }
            if ($service->nextDueDate !== null) {
                $body['nextDueDate'] = $service->nextDueDate;
            }
            // The key follows the request, so a create retried after staff fixed a setting is a new request.
            $digest = substr(hash_hmac('sha256', serialize($body), $this->server()->secret), 0, 16);
            $answer = $this->client()->send('/v1/whmcs/services', $body, "create-{$this->serviceId}-$digest");
            $service->recordAccount($answer->body['service'] ?? []);
            $this->noteQueued('CreateAccount', $answer);
        });
    }

    public function suspend(): string
    {
        if ($this->addonId !== null) {
            return 'success';
        }
        $reason = trim((string) ($this->params['suspendreason'] ?? '')) === self::OVERDUE_REASON ? 'billing' : 'admin';
        return $this->attempt('SuspendAccount', fn () => $this->command('SuspendAccount', 'suspend', ['reason' => $reason]));
    }

    /**
     * WHMCS knows one Suspended state, so lifting it lifts both reasons WHMCS can have set. A traffic
     * limit is vpnflow's own and stays until traffic is added.
     */
    public function unsuspend(): string
    {
        if ($this->addonId !== null) {
            return 'success';
        }
        return $this->attempt('UnsuspendAccount', function () {
            $view = $this->client()->read("/v1/whmcs/services/{$this->serviceId}", [], ApiClient::COMMAND_TIMEOUT)->body;
            $held = is_array($view['suspensionReasons'] ?? null) ? $view['suspensionReasons'] : [];
            foreach (['billing', 'admin'] as $reason) {
                if (in_array($reason, $held, true)) {
                    $view = $this->command('UnsuspendAccount', 'unsuspend', ['reason' => $reason])['service'] ?? $view;
                }
            }
            if (in_array('traffic', $held, true)) {
                logActivity(Translator::forStaff()->text('activity.stillLimited', ['serviceId' => $this->serviceId]), $this->clientId());
            }
        });
    }

    public function terminate(): string
    {
        if ($this->addonId !== null) {
            return 'success';
        }
        return $this->attempt('TerminateAccount', fn () => $this->command('TerminateAccount', 'terminate', []));
    }

    public function renew(): string
    {
        if ($this->addonId !== null) {
            return 'success';
        }
        return $this->attempt('Renew', function () {
            $nextDueDate = WhmcsService::find($this->serviceId)->nextDueDate;
            if ($nextDueDate !== null) {
                $this->command('Renew', 'renew', ['nextDueDate' => $nextDueDate]);
            }
        });
    }

    public function changePassword(): string
    {
        return $this->attempt('ChangePassword', fn () => $this->command(
            'ChangePassword',
            'password',
            ['password' => (string) ($this->params['password'] ?? '')],
        ));
    }

    /** WHMCS has already moved the service to its new product and cycle when it calls this. */
    public function changePackage(): string
    {
        if ($this->addonId !== null) {
            return 'success';
        }
        return $this->attempt('ChangePackage', fn () => $this->command('ChangePackage', 'package', [
            'product' => $this->product(),
            'billingCycle' => WhmcsService::find($this->serviceId)->billingCycle,
        ]));
    }

    /** From the client area only while the product allows it; staff may always. */
    public function resetConnection(): string
    {
        return $this->attempt('resetConnection', function () {
            if (defined('CLIENTAREA') && !ProductExtras::forProduct((int) ($this->params['pid'] ?? 0))->allows('resetConnection')) {
                throw new ModuleProblem('error.resetNotAllowed');
            }
            $this->command('resetConnection', 'reset-connection', []);
        });
    }

    public function retryRouter(): string
    {
        return $this->attempt('retryRouter', fn () => $this->command('retryRouter', 'retry', []));
    }

    /** @param \Closure(): void $work */
    private function attempt(string $action, \Closure $work): string
    {
        return Module::attempt($action, $work, [
            'serviceId' => $this->serviceId,
            'routerId' => (string) ($this->params['serverusername'] ?? ''),
        ]);
    }

    /**
     * @param array<string, mixed> $body
     * @return array<string, mixed> vpnflow's answer
     */
    private function command(string $action, string $path, array $body): array
    {
        $key = "$path-{$this->serviceId}-" . bin2hex(random_bytes(8));
        $answer = $this->client()->send("/v1/whmcs/services/{$this->serviceId}/$path", $body, $key);
        $this->noteQueued($action, $answer);
        return $answer->body;
    }

    /** A 202 is success for WHMCS; the activity log tells staff the router has not applied it yet. */
    private function noteQueued(string $action, ApiResponse $answer): void
    {
        if (!$answer->queued()) {
            return;
        }
        $service = is_array($answer->body['service'] ?? null) ? $answer->body['service'] : [];
        logActivity(Translator::forStaff()->text('activity.queued', [
            'action' => $action,
            'serviceId' => $this->serviceId,
            'routerId' => (string) ($service['routerId'] ?? ''),
            'detail' => (string) ($service['routerError'] ?? '') ?: '-',
        ]), $this->clientId());
    }

    /** @return array<string, mixed> */
    private function product(): array
    {
        return ProductSettings::product($this->params, ProductExtras::forProduct((int) ($this->params['pid'] ?? 0)));
    }

    private function clientId(): int
    {
        return (int) ($this->params['userid'] ?? 0);
    }

    private function server(): ServerRecord
    {
        return ServerRecord::fromParams($this->params);
    }

    private function client(): ApiClient
    {
        return new ApiClient($this->server());
    }
}
