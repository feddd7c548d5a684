<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/** What the module handed to WHMCS's functions during a test. */
final class Recorder
{
    /** @var list<array<string, mixed>> */
    public static array $moduleCalls = [];
    /** @var list<array{message: string, userId: int}> */
    public static array $activities = [];
    /** @var list<array{command: string, values: array<string, mixed>}> */
    public static array $localApiCalls = [];
    /** @var array<string, list<array{priority: int, function: callable}>> hooks stay registered: hooks.php loads once */
    public static array $hooks = [];

    public static function reset(): void
    {
        self::$moduleCalls = [];
        self::$activities = [];
        self::$localApiCalls = [];
    }

    /** @return list<string> */
    public static function activityMessages(): array
    {
        return array_column(self::$activities, 'message');
    }

    /**
     * Runs a hook point as WHMCS does, in priority order, and returns what each function returned.
     *
     * @return list<mixed>
     */
    public static function runHook(string $hookPoint, mixed $vars): array
    {
        $registered = self::$hooks[$hookPoint] ?? [];
        usort($registered, static fn (array $a, array $b) => $a['priority'] <=> $b['priority']);
        return array_map(static fn (array $hook) => ($hook['function'])($vars), $registered);
    }

    /** Everything written to the Module Log, as one string, to search for leaked secrets. */
    public static function moduleLogText(): string
    {
        return json_encode(array_map(
            static fn (array $call) => array_diff_key($call, ['replaceVars' => true]),
            self::$moduleCalls,
        ), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    }
}
