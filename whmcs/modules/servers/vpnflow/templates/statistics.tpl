{* Traffic statistics: the widget draws the charts and the usage table from vpnflow's client API; the
   period tabs are links, so a click works by reloading too. Variables: lib/ClientPage.php, lib/ClientPages.php. *}
<div class="vpnflow" data-vpnflow-panel data-page="statistics" data-days="{$vpnflow.days|escape:'html'}" data-service-id="{$vpnflow.serviceId|escape:'html'}" data-language="{$vpnflow.locale|escape:'html'}" data-api-url="{$vpnflow.panel.apiUrl|escape:'html'}" data-token="{$vpnflow.panel.token|escape:'html'}" data-token-expires-at="{$vpnflow.panel.tokenExpiresAt|escape:'html'}" data-refresh-seconds="{$vpnflow.panel.refreshSeconds|escape:'html'}">
  <h2>{$vpnflowText.statistics.title|escape:'html'}</h2>
  <div class="alert alert-warning" role="status" data-live="unavailable"{if $vpnflow.panel.token} hidden{/if}>
    <strong>{$vpnflowText.common.liveUnavailable|escape:'html'}</strong> {$vpnflowText.common.liveUnavailableText|escape:'html'}
  </div>
  <div class="alert alert-info" role="status" data-live="expired" hidden>{$vpnflowText.common.tokenExpired|escape:'html'}</div>
  <noscript><div class="alert alert-info">{$vpnflowText.common.noScript|escape:'html'}</div></noscript>

  <div class="card mb-3">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.statistics.daily|escape:'html'}</h3>
      <ul class="nav nav-tabs mb-3" role="tablist">
        {foreach $vpnflow.periods as $period}
        <li class="nav-item"><a class="nav-link{if $period.days == $vpnflow.days} active{/if}" href="{$period.link|escape:'html'}" data-period="{$period.days|escape:'html'}"{if $period.days == $vpnflow.days} aria-current="page"{/if}>{$period.label|escape:'html'}</a></li>
        {/foreach}
      </ul>
      <div class="vpnflow-chart" style="position: relative; height: 260px">
        <canvas data-chart="daily" role="img" aria-label="{$vpnflowText.statistics.chartDaily|escape:'html'}"></canvas>
      </div>
    </div>
  </div>

  <div class="card mb-3">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.statistics.table|escape:'html'}</h3>
      <div class="table-responsive" data-usage-table aria-live="polite"><p class="text-muted">{$vpnflowText.common.loading|escape:'html'}</p></div>
    </div>
  </div>

  <div class="card mb-3">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.statistics.monthly|escape:'html'}</h3>
      <div class="vpnflow-chart" style="position: relative; height: 220px">
        <canvas data-chart="monthly" role="img" aria-label="{$vpnflowText.statistics.chartMonthly|escape:'html'}"></canvas>
      </div>
    </div>
  </div>
  {if $vpnflow.panel.token}<script src="{$vpnflow.panel.scriptUrl|escape:'html'}" crossorigin="anonymous" defer></script>{/if}
</div>
