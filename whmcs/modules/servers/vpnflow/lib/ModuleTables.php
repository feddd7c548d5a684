<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use Illuminate\Database\Schema\Blueprint;
use WHMCS\Database\Capsule;

/**
 * The module's own tables. A server module has no activation step, so they are created the first time
 * the module needs them, in every process that may be the first (page view, hook, cron).
 */
final class ModuleTables
{
    public const PRODUCT_SETTINGS = 'mod_vpnflow_product_settings';
    public const TRAFFIC_CREDITS = 'mod_vpnflow_traffic_credits';

    private static bool $ensured = false;

    public static function ensure(): void
    {
        if (self::$ensured) {
            return;
        }
        $schema = Capsule::schema();
        if (!$schema->hasTable(self::PRODUCT_SETTINGS)) {
            $schema->create(self::PRODUCT_SETTINGS, static function (Blueprint $table) {
                $table->unsignedInteger('product_id')->primary();
                $table->boolean('show_statistics');
                $table->boolean('show_history');
                $table->boolean('allow_buy_traffic');
                $table->boolean('allow_reset_connection');
                $table->boolean('show_password');
                $table->unsignedSmallInteger('refresh_seconds');
                // tblproducts.configoptionN is TEXT (64 KB); a profile with inline certificates can be larger.
                $table->mediumText('ovpn_profile');
                $table->timestamp('updated_at')->nullable();
            });
        }
        if (!$schema->hasTable(self::TRAFFIC_CREDITS)) {
            $schema->create(self::TRAFFIC_CREDITS, static function (Blueprint $table) {
                $table->unsignedInteger('invoice_item_id')->primary();
                $table->unsignedInteger('invoice_id')->index();
                $table->unsignedInteger('service_id')->index();
                $table->unsignedInteger('hosting_addon_id');
                $table->string('gb', 32);
                $table->string('description', 500);
                $table->string('status', 16);
                $table->unsignedInteger('attempts')->default(0);
                $table->dateTime('next_attempt_at')->nullable()->index();
                $table->text('last_error')->nullable();
                $table->boolean('newly_credited')->nullable();
                $table->dateTime('credited_at')->nullable();
                $table->dateTime('created_at');
            });
        }
        self::$ensured = true;
    }
}
