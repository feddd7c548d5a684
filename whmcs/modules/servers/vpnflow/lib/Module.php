<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** What every module entry point shares: its name, and turning any failure into a message staff act on. */
final class Module
{
    public const NAME = 'vpnflow';

    /**
     * Runs one module function and answers as WHMCS expects: 'success', or the translated reason.
     *
     * @param \Closure(): void $work
     * @param array<string, string|int> $context values the message may name (serviceId, routerId)
     */
    public static function attempt(string $action, \Closure $work, array $context = []): string
    {
        try {
            $work();
            return 'success';
        } catch (\Throwable $problem) {
            return self::explainFailure($action, $problem, $context);
        }
    }

    /**
     * For hooks: WHMCS's own flow (a payment, the cron, a page) must go on whatever fails here, and
     * staff find the reason in the activity log.
     *
     * @template T
     * @param \Closure(): T $work
     * @param T $otherwise
     * @return T
     */
    public static function guard(string $hook, \Closure $work, mixed $otherwise = null): mixed
    {
        try {
            return $work();
        } catch (\Throwable $problem) {
            logActivity(self::NAME . " $hook: " . self::explainFailure($hook, $problem));
            return $otherwise;
        }
    }

    /** @param array<string, string|int> $context */
    public static function explainFailure(string $action, \Throwable $problem, array $context = []): string
    {
        $message = (new StaffMessages(Translator::forStaff()))->explain($problem, $context);
        if (!$problem instanceof ApiError && !$problem instanceof TransportFailure) {
            // Failures that never reached the API are not in the Module Log yet.
            ModuleLog::call($action, get_class($problem), $problem->getMessage(), $message, []);
        }
        return $message;
    }
}
